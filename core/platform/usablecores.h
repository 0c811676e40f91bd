#pragma once
// How many cores this process may really use: the CPUs its affinity mask allows (taskset, docker
// --cpuset-cpus, Slurm's binding) and the CPU time its cgroup's quota grants (docker --cpus,
// Kubernetes limits, systemd's CPUQuota), whichever is smaller. The machine's core count overstates
// both, and a thread beyond them only waits for a core another of ours holds: OpenMP's barriers
// then cost whole scheduler slices. "All cores" (--threads 0, the default) means these. Torch-free.
#include <string>

namespace ra {

struct CoreLimits {
    int affinity = 1; // CPUs in this thread's affinity mask (the machine's count: CpuFeatures)
    double quota = 0; // CPUs' worth of time the cgroup grants per period; 0: no quota
    int usable = 1;   // min(affinity, quota rounded up), at least 1
};

// Read once per call from the kernel (cheap: one syscall and a few small files).
CoreLimits coreLimits();
int usableCores();

// The cgroup CPU quota seen from CGROUP_ROOT (normally /sys/fs/cgroup) for a process whose
// /proc/self/cgroup reads PROC_SELF_CGROUP: cgroup v2's cpu.max of its group and every ancestor, or
// v1's cpu.cfs_quota_us / cpu.cfs_period_us; the tightest wins. 0 when nothing limits it or the
// files cannot be read.
double cgroupCpuQuota(const std::string& cgroupRoot, const std::string& procSelfCgroup);

} // namespace ra
