#include "util/labeltext.h"

namespace ra {

std::string labelProblem(const std::string& label, const std::string& what)
{
    if (label.empty()) return what + " cannot be empty";
    if (label.size() > 100) return what + " is at most 100 bytes, this one has " + std::to_string(label.size());
    for (unsigned char c : label)
        if (c < 0x20 || c == 0x7f) return what + " is one line of text, without tabs or other control characters";
    if (label.front() == ' ' || label.back() == ' ') return what + " has no blanks at its ends";
    return {};
}

} // namespace ra
