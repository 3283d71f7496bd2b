package dev.sluice.interop

import dev.sluice.buffer.ApiDumpCheck

class ApiDumpSpec : ApiDumpCheck("java-interop")
