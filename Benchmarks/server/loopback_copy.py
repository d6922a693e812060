"""The anchor for GET throughput: copy a file over a loopback TCP connection (sendfile on the
sending side, recv_into a reused buffer on the receiving side), as fast as the kernel allows."""
import socket
import sys
import threading
import time


def main(path: str) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]

    def send() -> None:
        connection, _ = listener.accept()
        with connection, open(path, "rb") as source:
            connection.sendfile(source)

    sender = threading.Thread(target=send)
    sender.start()
    buffer = bytearray(1 << 20)
    received = 0
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port)) as client:
        while True:
            got = client.recv_into(buffer)
            if not got:
                break
            received += got
    elapsed = time.monotonic() - start
    sender.join()
    print(f"{received} {elapsed:.6f}")


if __name__ == "__main__":
    main(sys.argv[1])
