package dev.sluice.grpc.samples

import dev.sluice.buffer.samples.SamplesCheck

class SamplesSpec : SamplesCheck("dev.sluice.grpc.samples", minimum = 2)
