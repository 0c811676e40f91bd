#pragma once
// Process-wide libtorch runtime settings. Debian's libtorch defaults to one intra-op thread, so
// every entry point (CLI, Studio, tests) calls setThreadCount once at start-up.
namespace ra {

// N <= 0 means all cores. Safe to call again; affects the whole process. The first call also
// tunes glibc's allocator for large tensors (see runtime.cpp).
void setThreadCount(int n);
int threadCount();
int hardwareThreads();

} // namespace ra
