#pragma once
// How much of the disk a path takes: a file's size, or every file under a folder summed. What
// deleting a run's files would give back, and what the trash holds. Unreadable parts count 0.
#include <cstdint>
#include <string>

namespace ra {

uintmax_t bytesOnDisk(const std::string& path);

} // namespace ra
