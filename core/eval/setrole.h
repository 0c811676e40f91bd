#pragma once
// The role of an evaluation set: in-distribution validation or test, or out-of-distribution.
// A project names its ID sets "val" and "test" (data.val, data.test) and its OOD sets freely
// (Project::load refuses an OOD set called train, val or test), so a name alone tells the role;
// roleOfSet is the one place that knows it. Runs store each set's role with their params
// ("set/NAME"), so every view reads roles, not names. Torch-free.
#include <optional>
#include <string>

namespace ra {

enum class SetRole { IdValidation, IdTest, Ood }; // in the order views list them

const char* setRoleName(SetRole r); // "id-val", "id-test", "ood"
std::optional<SetRole> setRoleFromName(const std::string& name);

SetRole roleOfSet(const std::string& setName);
inline bool isIdRole(SetRole r) { return r != SetRole::Ood; }

} // namespace ra
