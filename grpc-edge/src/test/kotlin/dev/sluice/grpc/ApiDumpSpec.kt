package dev.sluice.grpc

import dev.sluice.buffer.ApiDumpCheck

class ApiDumpSpec : ApiDumpCheck("grpc-edge", excludedPackages = listOf("dev.sluice.grpc.internal"))
