// Preloaded into `bp serve` (NODE_OPTIONS=--require): the CLI calls `server.listen(port)` with no host, which binds
// every interface. Tests must stay on loopback, so every listen without an explicit host gets 127.0.0.1.
const net = require('node:net')

const listen = net.Server.prototype.listen
net.Server.prototype.listen = function loopbackListen(...args) {
  const [first, second] = args
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof second !== 'string') args.splice(1, 0, '127.0.0.1')
  } else if (first && typeof first === 'object' && !first.path && !first.host) {
    args[0] = { ...first, host: '127.0.0.1' }
  }
  return listen.apply(this, args)
}
