#pragma once
// CSV records as spreadsheets and Python's csv module write them (RFC 4180 quoting: a field may
// be in double quotes, "" inside quotes is one quote; no newlines inside a field). Shared by the
// path,label and path,caption readers. Torch-free.
#include <string>
#include <vector>

namespace ra {

// S without the blanks, tabs, CRs and LFs around it: what the CSV readers trim from lines and fields.
std::string trimBlanks(const std::string& s);

// Reads the field that starts at POS in LINE into FIELD (unquoted, white space around it
// trimmed) and leaves POS on the comma after it or at the end. False when a quote is not closed,
// or text follows a closing quote before the next comma.
bool readCsvField(const std::string& line, size_t& pos, std::string& field);

// FIELD as one CSV field: in double quotes, its quotes doubled, when it holds a comma, a quote, a
// CR or an LF (RFC 4180, as spreadsheets read it); as it is otherwise.
std::string csvField(const std::string& field);

// All fields of LINE. False as readCsvField.
bool splitCsv(const std::string& line, std::vector<std::string>& fields);

// LINE's first field and the rest as one more field: quoted, the rest must be one whole field;
// unquoted, it is everything after the first comma, commas included (path,caption lines whose
// captions were written without quotes). False without a comma, or as readCsvField.
bool splitFirstCsvField(const std::string& line, std::string& first, std::string& rest);

} // namespace ra
