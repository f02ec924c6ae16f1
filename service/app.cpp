#include "app.hpp"

namespace jobsync {

int run_app(int, char**) { return 0; }  // wired up once the parts exist

}  // namespace jobsync
