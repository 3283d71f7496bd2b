package dev.sluice.interop.samples

import dev.sluice.buffer.samples.SamplesCheck

class SamplesSpec : SamplesCheck("dev.sluice.interop.samples", minimum = 1)
