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

} // namespace ra
