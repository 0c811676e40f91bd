#pragma once
// A demo result as a file: the JSON `radapter demo --json` prints, written and read back. The
// Studio keeps its last comparison this way (a class sees it without waiting two minutes for a
// new run) and opens results run elsewhere (`radapter demo --json > seed-0.json`, the README's
// per-seed files in docs/results/). Torch-free.
#include "demo/demorunner.h"
#include "demo/demostory.h"

#include <string>
#include <vector>

namespace ra {

// One seed's result as `radapter demo --json` prints it, on one line: the methods, both curves,
// R-Adapter's alpha selection, the paper's story checked on it, the seconds, the seed and PROJECT.
std::string demoResultJson(const DemoResult& result, const std::string& project);

// The claims of the paper's story (demo/demostory.h) as the JSON list `demo --json` prints:
// [{"claim": TEXT, "holds": true|false, "goal": true|false}, ...].
std::string paperStoryJson(const std::vector<StoryClaim>& claims);

// The results in TEXT: one for a `demo --json` object, each seed's for a `demo --seeds` summary,
// in its order. The methods come back in the demo's order (zero-shot, fine-tuning, WiSE-FT,
// R-Adapter, then its other rows). Throws ra::Error, one sentence starting with SOURCE (a file
// name), when TEXT is not JSON or not a demo result.
std::vector<DemoResult> parseDemoResults(const std::string& text, const std::string& source);
// The same from the file at PATH (errors name it).
std::vector<DemoResult> readDemoResults(const std::string& path);

} // namespace ra
