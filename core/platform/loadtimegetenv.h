#pragma once
// The environment as libgomp and OpenBLAS see it when they load, before main()
// (platform/processenvironment.h explains why the program answers their getenv itself).

namespace ra {

// NAME's value in the environment itself (without the defaults below); null when unset.
const char* environmentValue(const char* name);
// What libgomp and OpenBLAS should read for NAME, which they read when they load, where the user
// set nothing; null for every other name.
const char* loadTimeDefault(const char* name);

} // namespace ra
