#pragma once
// Names a user gives that the program shows in one-line places: a run's tag, an experiment, an
// evaluation set (the runs list's columns, CSV fields, plot legends, completion). Torch-free.
#include <string>

namespace ra {

// Why LABEL cannot be such a name ("" when it can), WHAT naming it ("a tag", "an experiment
// name"): one line of text, at most 100 bytes, without blanks at its ends (a line break split
// the runs list's table and a CSV export's rows). For every front end's check up front.
std::string labelProblem(const std::string& label, const std::string& what);

} // namespace ra
