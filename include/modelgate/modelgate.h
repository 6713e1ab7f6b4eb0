/**
 * @file modelgate.h
 * @brief Everything public in libmodelgate.
 */
#ifndef MODELGATE_H
#define MODELGATE_H

#include "modelgate/diff.h"
#include "modelgate/drift.h"
#include "modelgate/error.h"
#include "modelgate/metrics.h"
#include "modelgate/plan.h"
#include "modelgate/report.h"
#include "modelgate/run.h"
#include "modelgate/stats.h"
#include "modelgate/suite.h"
#include "modelgate/table.h"
#include "modelgate/version.h"

#endif
