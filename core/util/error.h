#pragma once
// The one exception type core's public functions throw: its message is a complete sentence meant
// for the user ("<file>: <what is wrong>."). Internal libtorch/OpenCV errors are translated into
// it at the public entry points, so callers never see c10::Error.
#include <stdexcept>
#include <string>

namespace ra {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Thrown out of a long operation (evaluation, a sweep, the demo) whose stop check said stop: not
// a failure, so front ends end the operation quietly. Not an ra::Error, so nothing reports it as
// one by accident.
class Cancelled : public std::exception {
public:
    const char* what() const noexcept override { return "cancelled"; }
};

// The one sentence to show for any exception at a front end's boundary (a CLI command, a Studio
// action): ra::Error's message as it is; a library's (libtorch's c10::Error carries a C++
// backtrace after its first line) cut to its first line and marked as an internal error.
inline std::string userMessage(const std::exception& e)
{
    std::string m = e.what();
    if (dynamic_cast<const Error*>(&e)) return m;
    m = m.substr(0, m.find('\n'));
    if (m.empty()) m = "unknown failure";
    return "internal error in a library: " + m + (m.back() == '.' ? "" : ".");
}

} // namespace ra
