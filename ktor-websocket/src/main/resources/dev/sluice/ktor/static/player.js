// The Sluice browser player: sends a request over a WebSocket, plays the PCM frames as they
// arrive through an AudioWorklet, and shows time to first audio, underruns and a chart of each
// frame's headroom (its playback deadline minus its arrival). No dependencies.
//
// window.sluice exposes the numbers to tests: state, frames, samples, bytes, hash (FNV-1a 32 of
// every binary byte received, in order), ttfaMs, underruns, start, end, error.
(() => {
  const $ = (id) => document.getElementById(id);
  const PREBUFFER_MS = 60;
  let ws = null;
  let ctx = null;
  let node = null;
  let stats = null;
  let arrivals = [];

  function fnv1a(hash, bytes) {
    for (let i = 0; i < bytes.length; i++) {
      hash ^= bytes[i];
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash;
  }

  function show() {
    $('state').textContent = stats.state;
    $('ttfa').textContent = stats.ttfaMs == null ? '-' : stats.ttfaMs.toFixed(0) + ' ms';
    $('underruns').textContent = stats.underruns;
    $('frames').textContent = stats.frames;
    $('samples').textContent = stats.samples;
    $('speak').disabled = stats.state === 'connecting' || stats.state === 'streaming';
    $('cancel').disabled = !(stats.state === 'connecting' || stats.state === 'streaming');
  }

  function draw() {
    const canvas = $('chart');
    const g = canvas.getContext('2d');
    g.clearRect(0, 0, canvas.width, canvas.height);
    if (stats.playStart == null || arrivals.length === 0) return;
    const frameMs = stats.start.frameMillis;
    const heads = arrivals.map((t, k) => stats.playStart + k * frameMs - t);
    const max = Math.max(100, ...heads.map(Math.abs));
    const zero = canvas.height / 2;
    g.strokeStyle = '#999';
    g.beginPath();
    g.moveTo(0, zero);
    g.lineTo(canvas.width, zero);
    g.stroke();
    heads.forEach((h, k) => {
      const x = (k + 0.5) * canvas.width / Math.max(arrivals.length, 50);
      const y = zero - (h / max) * (zero - 4);
      g.fillStyle = h < 0 ? '#d22' : '#27c';
      g.fillRect(x - 2, y - 2, 4, 4);
    });
    g.fillStyle = '#333';
    g.fillText('+' + max.toFixed(0) + ' ms', 4, 12);
    g.fillText('-' + max.toFixed(0) + ' ms', 4, canvas.height - 4);
  }

  function decode(buffer, encoding) {
    if (encoding === 'f32le') return new Float32Array(buffer.slice(0));
    const ints = new Int16Array(buffer);
    const values = new Float32Array(ints.length);
    for (let i = 0; i < ints.length; i++) values[i] = ints[i] / 32767;
    return values;
  }

  async function speak() {
    stats = window.sluice = {
      state: 'connecting', frames: 0, samples: 0, bytes: 0, hash: 0x811c9dc5, ttfaMs: null,
      underruns: 0, start: null, end: null, error: null, playStart: null, drained: false,
    };
    arrivals = [];
    show();
    const clicked = performance.now();
    ctx = ctx || new AudioContext({ sampleRate: 24000 });
    await ctx.resume();
    await ctx.audioWorklet.addModule('worklet.js');
    ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/speech');
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: 'speak', text: $('text').value, encoding: $('encoding').value, padFinal: false }));
    };
    ws.onmessage = async (e) => {
      if (typeof e.data === 'string') {
        const m = JSON.parse(e.data);
        if (m.type === 'start') {
          stats.start = m;
          stats.state = 'streaming';
          if (ctx.sampleRate !== m.sampleRate) {
            await ctx.close();
            ctx = new AudioContext({ sampleRate: m.sampleRate });
            await ctx.audioWorklet.addModule('worklet.js');
          }
          node = new AudioWorkletNode(ctx, 'sluice-player', {
            outputChannelCount: [m.channels],
            processorOptions: { channels: m.channels, prebuffer: Math.round(m.sampleRate * PREBUFFER_MS / 1000) },
          });
          node.port.onmessage = (p) => {
            if (p.data.type === 'started' && stats.ttfaMs == null) {
              stats.ttfaMs = performance.now() - clicked;
              stats.playStart = performance.now();
              draw();
            } else if (p.data.type === 'underrun') {
              stats.underruns = p.data.underruns;
            } else if (p.data.type === 'drained') {
              stats.drained = true;
            }
            show();
          };
          node.connect(ctx.destination);
        } else if (m.type === 'end') {
          stats.end = m;
          stats.state = 'ended';
          if (node) node.port.postMessage({ type: 'end' });
        } else if (m.type === 'cancelled') {
          stats.state = 'cancelled';
          if (node) node.port.postMessage({ type: 'stop' });
        } else if (m.type === 'error') {
          stats.error = m.reason;
          stats.state = 'error';
          if (node) node.port.postMessage({ type: 'end' });
        }
        show();
        return;
      }
      const bytes = new Uint8Array(e.data);
      stats.hash = fnv1a(stats.hash, bytes);
      stats.bytes += bytes.length;
      stats.frames++;
      arrivals.push(performance.now());
      const values = decode(e.data, stats.start.encoding);
      stats.samples += values.length / stats.start.channels;
      node.port.postMessage({ type: 'frame', values }, [values.buffer]);
      if (stats.frames % 5 === 0) draw();
      show();
    };
    ws.onclose = () => {
      if (stats.state === 'streaming' || stats.state === 'connecting') stats.state = 'closed';
      draw();
      show();
    };
  }

  $('speak').onclick = () => speak().catch((err) => { stats.error = String(err); stats.state = 'error'; show(); });
  $('cancel').onclick = () => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'cancel' }));
    stats.state = 'cancelling';
    show();
  };
})();
