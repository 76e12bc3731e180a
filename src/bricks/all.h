// Every brick, for code that builds models by hand:
//   model.add(Conv2D({.filters = 16, .kernel = 5, .pad = 2}));
#pragma once
#include "bricks/activations.h"
#include "bricks/batch_norm.h"
#include "bricks/brick.h"
#include "bricks/conv2d.h"
#include "bricks/dense.h"
#include "bricks/dropout.h"
#include "bricks/flatten.h"
#include "bricks/init.h"
#include "bricks/pool.h"
#include "bricks/softmax.h"
