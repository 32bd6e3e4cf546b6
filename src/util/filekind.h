/* util/filekind.h — what a file that is not a regular file is, in words,
 * for the messages of the loaders that read only regular files
 * (pipeline scripts, ingest). */
#ifndef LH_UTIL_FILEKIND_H
#define LH_UTIL_FILEKIND_H

#include <sys/types.h>

/* "a FIFO", "a socket", "a character device", "a block device",
 * "a symbolic link", "a folder", "a regular file", or "an unknown kind of
 * file"; a static string. */
const char *lh_file_kind(mode_t mode);

#endif
