/**
 * @file export.h
 * @brief Symbol visibility: the library is built with hidden visibility and exports
 * only what is marked MG_EXTERN.
 */
#ifndef MODELGATE_EXPORT_H
#define MODELGATE_EXPORT_H

#if defined(MG_BUILDING) && defined(__GNUC__)
#define MG_EXTERN __attribute__((visibility("default")))
#else
#define MG_EXTERN
#endif

#endif
