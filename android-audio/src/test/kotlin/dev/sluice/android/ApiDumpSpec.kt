package dev.sluice.android

import dev.sluice.buffer.ApiDumpCheck

class ApiDumpSpec : ApiDumpCheck("android-audio")
