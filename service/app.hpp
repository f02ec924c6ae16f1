// The application: parses the command line, wires the parts together, runs the command and
// is the one place that catches what ends a run and turns it into an exit code.
#pragma once

namespace jobsync {

int run_app(int argc, char** argv);

}  // namespace jobsync
