/* cli/cmd_report.h — the `report` and `graph` commands of the CLI.
 *
 *   lakehouse report PIPELINE_DIR [-o FILE] [--scale N]
 *       writes the run report (pipeline/report.h), default ./report.html,
 *       and prints its path.
 *   lakehouse graph PIPELINE_DIR [--format dot|svg]
 *       prints the pipeline graph (pipeline/graph.h) to stdout; dot is the
 *       default.
 *
 * argv[0] is the command name, as main() passes it.  Both accept --help.
 * They return the process exit status: 0 done, 2 usage or error (the
 * message goes to stderr).
 */
#ifndef LH_CLI_CMD_REPORT_H
#define LH_CLI_CMD_REPORT_H

#include <stdint.h>

#include "cli/cli.h"

int lh_cmd_report(const lh_global_opts *g, int argc, char **argv);
int lh_cmd_graph(const lh_global_opts *g, int argc, char **argv);

/* Help texts, for main's `lakehouse help COMMAND`. */
const char *lh_cmd_report_help(void);
const char *lh_cmd_graph_help(void);

/* Write the report of an open lake to path and print the path (for
 * `lakehouse demo`); scale multiplies the expected counts.  Returns the
 * exit status (0 or 2). */
int lh_report_lake(lh_lake *lake, const char *pipeline_dir, const char *path, int64_t scale);

#endif
