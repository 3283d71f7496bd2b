// The playback side of the Sluice player: a queue of float frames, a small jitter buffer
// (playback starts once `prebuffer` sample frames are queued, or the stream ended), and an
// underrun count (the queue ran dry while the stream was still going).
class SluicePlayer extends AudioWorkletProcessor {
  constructor(options) {
    super();
    this.channels = options.processorOptions.channels;
    this.prebuffer = options.processorOptions.prebuffer;
    this.queue = [];
    this.offset = 0; // values already played from queue[0]
    this.queued = 0; // sample frames queued
    this.started = false;
    this.ended = false;
    this.starving = false;
    this.underruns = 0;
    this.played = 0;
    this.port.onmessage = (e) => {
      const m = e.data;
      if (m.type === 'frame') {
        this.queue.push(m.values);
        this.queued += m.values.length / this.channels;
      } else if (m.type === 'end') {
        this.ended = true;
      } else if (m.type === 'stop') {
        this.queue = [];
        this.queued = 0;
        this.ended = true;
      }
    };
  }

  process(inputs, outputs) {
    const out = outputs[0];
    const n = out[0].length;
    if (!this.started) {
      if (this.queued >= this.prebuffer || (this.ended && this.queued > 0)) {
        this.started = true;
        this.port.postMessage({ type: 'started', played: this.played });
      } else {
        return true;
      }
    }
    for (let i = 0; i < n; i++) {
      if (this.queue.length === 0) {
        if (!this.ended && !this.starving) {
          this.starving = true;
          this.underruns++;
          this.port.postMessage({ type: 'underrun', underruns: this.underruns });
        }
        for (let c = 0; c < out.length; c++) out[c][i] = 0;
        continue;
      }
      this.starving = false;
      const frame = this.queue[0];
      for (let c = 0; c < out.length; c++) out[c][i] = frame[this.offset + Math.min(c, this.channels - 1)];
      this.offset += this.channels;
      this.played++;
      this.queued--;
      if (this.offset >= frame.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    if (this.ended && this.queue.length === 0 && !this.drained) {
      this.drained = true;
      this.port.postMessage({ type: 'drained', played: this.played });
    }
    return true;
  }
}

registerProcessor('sluice-player', SluicePlayer);
