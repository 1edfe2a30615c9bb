/** Incremental SSE reader: feed raw bytes, get each `data:` payload parsed as JSON (others skipped). */
export function createSseDataReader(onData: (data: unknown) => void): (bytes: Uint8Array) => void {
  const decoder = new TextDecoder();
  let buffer = '';
  return (bytes) => {
    buffer += decoder.decode(bytes, { stream: true });
    let nl = buffer.indexOf('\n');
    while (nl !== -1) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('data:')) {
        const payload = line.slice(5).trim();
        if (payload !== '' && payload !== '[DONE]') {
          try {
            onData(JSON.parse(payload));
          } catch {
            // not JSON: the consumer will see and judge it
          }
        }
      }
      nl = buffer.indexOf('\n');
    }
  };
}
