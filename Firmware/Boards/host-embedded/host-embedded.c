// host-embedded: the host board's stdio support (Boards/host/host.c) under
// this board's name.
#define HOST_BOARD_NAME "host-embedded (x86-64-v3, Embedded Swift)"
#include "../host/host.c"
