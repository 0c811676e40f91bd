#include "data/csvfields.h"

namespace ra {
namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

} // namespace

std::string trimBlanks(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

bool readCsvField(const std::string& line, size_t& pos, std::string& field)
{
    while (pos < line.size() && isBlank(line[pos])) ++pos;
    if (pos >= line.size() || line[pos] != '"') {
        const size_t comma = line.find(',', pos);
        const size_t end = comma == std::string::npos ? line.size() : comma;
        field = trimBlanks(line.substr(pos, end - pos));
        pos = end;
        return true;
    }
    field.clear();
    for (++pos; pos < line.size(); ++pos) {
        if (line[pos] != '"') {
            field.push_back(line[pos]);
        } else if (pos + 1 < line.size() && line[pos + 1] == '"') {
            field.push_back('"');
            ++pos;
        } else {
            ++pos; // past the closing quote: only blanks may stand before the next comma
            while (pos < line.size() && isBlank(line[pos])) ++pos;
            return pos == line.size() || line[pos] == ',';
        }
    }
    return false; // the quote was never closed
}

bool splitCsv(const std::string& line, std::vector<std::string>& fields)
{
    fields.clear();
    size_t pos = 0;
    std::string field;
    while (true) {
        if (!readCsvField(line, pos, field)) return false;
        fields.push_back(field);
        if (pos >= line.size()) return true;
        ++pos; // the comma
    }
}

bool splitFirstCsvField(const std::string& line, std::string& first, std::string& rest)
{
    size_t pos = 0;
    if (!readCsvField(line, pos, first) || pos >= line.size()) return false;
    ++pos; // the comma
    const size_t start = line.find_first_not_of(" \t\r\n", pos);
    if (start != std::string::npos && line[start] == '"') return readCsvField(line, pos, rest) && pos == line.size();
    rest = trimBlanks(line.substr(pos));
    return true;
}

std::string csvField(const std::string& field)
{
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string quoted = "\"";
    for (char c : field) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

} // namespace ra
