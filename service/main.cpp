#include "app.hpp"

int main(int argc, char** argv) { return jobsync::run_app(argc, argv); }
