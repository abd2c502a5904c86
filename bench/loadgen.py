"""A small load generator for when wrk is not installed: N keep-alive connections for S seconds.

    python -m bench.loadgen URL SECONDS CONNECTIONS   -> prints {"rps": ..., "requests": ..., "errors": ...}
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit


def run(url: str, seconds: float, connections: int) -> dict:
    parts = urlsplit(url)
    deadline = time.monotonic() + seconds
    counts = [0] * connections
    errors = [0] * connections

    def worker(i):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        while time.monotonic() < deadline:
            conn.request("GET", parts.path, headers={"Host": parts.netloc})
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                counts[i] += 1
            else:
                errors[i] += 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": sum(counts) / elapsed, "requests": sum(counts), "errors": sum(errors)}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1], float(sys.argv[2]), int(sys.argv[3]))))
