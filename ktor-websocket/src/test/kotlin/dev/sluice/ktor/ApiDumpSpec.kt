package dev.sluice.ktor

import dev.sluice.buffer.ApiDumpCheck

class ApiDumpSpec : ApiDumpCheck("ktor-websocket")
