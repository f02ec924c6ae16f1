# Settings every target of the project links: warnings, sanitizers and the cpprestsdk fix-up.
add_library(jobsync_settings INTERFACE)
target_compile_options(jobsync_settings INTERFACE -Wall -Wextra -Wpedantic)
# cpprestsdk's U() macro collides with fmt (used by spdlog); the define turns it off.
target_compile_definitions(jobsync_settings INTERFACE _TURN_OFF_PLATFORM_STRING
                           JOBSYNC_VERSION="${PROJECT_VERSION}")
if(JOBSYNC_SANITIZE)
  # -fno-sanitize=vptr: cpprestsdk's stream buffers are created inside the Debian shared
  # library, and UBSan's vptr check misreads their dynamic type across that boundary.
  target_compile_options(jobsync_settings INTERFACE -fsanitize=address,undefined
                         -fno-sanitize=vptr -fno-omit-frame-pointer)
  target_link_options(jobsync_settings INTERFACE -fsanitize=address,undefined -fno-sanitize=vptr)
endif()
if(JOBSYNC_TSAN)
  target_compile_options(jobsync_settings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(jobsync_settings INTERFACE -fsanitize=thread)
endif()

# Debian's cpprestsdk package does not carry its OpenSSL dependency; add it here once.
add_library(jobsync_cpprest INTERFACE)
target_link_libraries(jobsync_cpprest INTERFACE cpprestsdk::cpprest OpenSSL::SSL OpenSSL::Crypto)
