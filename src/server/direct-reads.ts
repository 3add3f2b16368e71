// Direct reads for plain-TCP RESP connections. Node's `onread` socket option reads into a buffer
// the caller owns and hands each read straight to a callback, skipping the readable-stream
// machinery and the 64 KB allocation Node otherwise makes for every read (together about a fifth
// of the cost of a small request). Accepted sockets cannot be given the option, so the listener
// accepts them paused and this module re-creates the socket around the same handle with it.
// All connections share one input buffer: a callback must consume or copy its bytes before it
// returns (the RESP parser copies what it keeps).

import net from "node:net";

const sharedInput = Buffer.allocUnsafe(64 * 1024);

/** What the accepted socket holds that the re-created one takes over (Node internals). */
interface AcceptedInternals {
  _handle: unknown;
  server: net.Server;
  _server: net.Server;
}

/**
 * Re-creates a socket accepted with `pauseOnConnect` so its reads go to `onBytes` (a view of the
 * shared buffer, valid only during the call). Returns the socket to use from now on.
 */
export function withDirectReads(accepted: net.Socket, onBytes: (chunk: Buffer) => void): net.Socket {
  const old = accepted as unknown as AcceptedInternals;
  const handle = old._handle;
  old._handle = null;
  const onread: net.OnReadOpts = {
    buffer: sharedInput,
    callback: (bytes) => {
      onBytes(sharedInput.subarray(0, bytes));
      return true;
    },
  };
  const socket = new net.Socket({ handle, onread } as net.SocketConstructorOpts);
  // The listener counted the connection when it accepted it; the new socket ends it on close,
  // so server.close() still waits for every client.
  const taken = socket as unknown as AcceptedInternals;
  taken.server = old.server;
  taken._server = old._server;
  return socket;
}
