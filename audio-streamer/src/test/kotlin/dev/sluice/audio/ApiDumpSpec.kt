package dev.sluice.audio

import dev.sluice.buffer.ApiDumpCheck

class ApiDumpSpec : ApiDumpCheck("audio-streamer")
