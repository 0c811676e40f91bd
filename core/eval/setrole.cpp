#include "eval/setrole.h"

namespace ra {

const char* setRoleName(SetRole r)
{
    switch (r) {
    case SetRole::IdValidation: return "id-val";
    case SetRole::IdTest: return "id-test";
    case SetRole::Ood: return "ood";
    }
    return "?";
}

std::optional<SetRole> setRoleFromName(const std::string& name)
{
    for (const SetRole r : {SetRole::IdValidation, SetRole::IdTest, SetRole::Ood})
        if (name == setRoleName(r)) return r;
    return std::nullopt;
}

SetRole roleOfSet(const std::string& setName)
{
    if (setName == "val") return SetRole::IdValidation;
    if (setName == "test") return SetRole::IdTest;
    return SetRole::Ood;
}

} // namespace ra
