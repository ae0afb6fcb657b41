"""Bytes on the wire per partner: a client mod that measures every message's payload.

The payload is what a partner sends and receives (arrays, configs, metrics), measured as the
serialized size of the message content (Flower's own protobuf form), appended as one JSON line
per message to ``<output-dir>/traffic/node-<id>.jsonl``. The benchmark sums it per round.
"""

from __future__ import annotations

import json
from pathlib import Path

from flwr.app import Context, Message
from flwr.clientapp.typing import ClientAppCallable
from flwr.common.serde import recorddict_to_proto

TRAFFIC_DIR = "traffic"


def payload_bytes(message: Message) -> int:
    if message.has_error():
        return 0
    return recorddict_to_proto(message.content).ByteSize()


def traffic_mod(msg: Message, context: Context, call_next: ClientAppCallable) -> Message:
    reply = call_next(msg, context)
    output_dir = context.run_config.get("output-dir")
    if output_dir:
        folder = Path(str(output_dir)) / TRAFFIC_DIR
        folder.mkdir(parents=True, exist_ok=True)
        line = {"node": context.node_id, "type": msg.metadata.message_type,
                "received": payload_bytes(msg), "sent": payload_bytes(reply)}
        with open(folder / f"node-{context.node_id}.jsonl", "a", encoding="utf-8") as out:
            out.write(json.dumps(line) + "\n")
    return reply
