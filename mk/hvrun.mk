# SPDX-License-Identifier: MIT
# hvrun, the model VMM (tools/hvrun).
include tools/hvrun/hvrun.mk
