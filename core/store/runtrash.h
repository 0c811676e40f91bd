#pragma once
// The run store's trash: every deletion keeps the deleted runs as the store exported them just
// before (records, curves, sweeps, tags, notes), one file per deletion in the store's folder of
// run files, so that a deletion can be undone later — in another session, from the CLI or the
// Studio — until the trash is emptied. Deleting runs goes through deleteRunsToTrash alone.
// Torch-free.
#include "store/runstore.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ra {

struct TrashedDeletion {
    std::string path;      // its file
    std::string deletedAt; // ISO 8601 UTC
    struct Run {
        int64_t id = 0; // as it was in the store
        std::string method, name;
    };
    std::vector<Run> runs;    // empty when the file cannot be read
    uintmax_t bytes = 0;      // the file's and filesFolder's together
    std::string filesFolder;  // the run folders (checkpoints) it took; empty when it took none
    uintmax_t filesBytes = 0; // in filesFolder
};

// The folder that holds STORE's trash (inside its folder of run files).
std::string trashFolder(const RunStore& store);

// Deletes runs IDS of STORE after keeping them in the trash as one deletion. WITH_FILES: their run
// folders (RunStore::runFiles: the checkpoints) move into the trash with them, so the disk space
// comes back when the trash is emptied and restoring brings the checkpoints back. Every run is
// checked first: one that is training, or an id with no run, refuses the whole
// deletion (ra::Error) and nothing is deleted; so does a trash that cannot be written. Returns
// the deletion.
TrashedDeletion deleteRunsToTrash(RunStore& store, const std::vector<int64_t>& ids, bool withFiles);

// The deletions in STORE's trash, newest first; at most MOST of them (each is a file to read).
std::vector<TrashedDeletion> trashedDeletions(const RunStore& store, size_t most = SIZE_MAX);
// How many deletions the trash holds, without reading them (cheap: for enabling an action).
size_t trashedDeletionCount(const RunStore& store);

// Brings DELETION's runs back into STORE, every record as it was and under their own ids (a run
// whose id a newer run took gets a new one; one still there is left out), with the run folders it
// took (to their own place, or a new folder where a run made since has the name), then removes it.
// Returns the runs' ids now. Throws ra::Error naming the file when it cannot be read.
std::vector<int64_t> restoreDeletion(RunStore& store, const TrashedDeletion& deletion);

// Removes every deletion and the files it took from STORE's trash for good; returns the bytes
// given back.
uintmax_t emptyTrash(const RunStore& store);

} // namespace ra
