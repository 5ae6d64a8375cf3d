// The tool's version, set by CMake from project(VERSION).
#ifndef SIZER_VERSION_H_
#define SIZER_VERSION_H_

#ifndef SIZER_VERSION
#define SIZER_VERSION "0.0.0-dev"
#endif

#define SIZER_VERSION_STRING SIZER_VERSION

#endif  // SIZER_VERSION_H_
