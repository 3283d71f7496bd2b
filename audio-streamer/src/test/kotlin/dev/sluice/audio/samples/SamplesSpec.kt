package dev.sluice.audio.samples

import dev.sluice.buffer.samples.SamplesCheck

class SamplesSpec : SamplesCheck("dev.sluice.audio.samples", minimum = 3)
