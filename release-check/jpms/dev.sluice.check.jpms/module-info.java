/**
 * A named module that uses Sluice from the module path. Sluice's jars are automatic modules: they
 * declare no dependencies, so the module also requires the Kotlin and coroutines modules they use.
 */
module dev.sluice.check.jpms {
  requires dev.sluice.buffer;
  requires dev.sluice.audio;
  requires dev.sluice.interop;
  requires kotlin.stdlib;
  requires kotlinx.coroutines.core;
}
