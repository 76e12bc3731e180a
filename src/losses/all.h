// Every loss, for code that picks one by class rather than by name.
#pragma once
#include "losses/binary_crossentropy.h"
#include "losses/categorical_crossentropy.h"
#include "losses/hinge.h"
#include "losses/logistic.h"
#include "losses/loss.h"
#include "losses/mse.h"
