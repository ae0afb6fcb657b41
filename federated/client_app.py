"""ClientApp: one partner institution training on its own partition, and nothing else.

The SuperNode's node config says which partition it holds (``partition-id``); the partition
file never leaves the partner, only (masked, clipped) parameters do. Mods, outermost first:
``traffic_mod`` counts the bytes of every message; ``secaggplus_mod`` masks the update when
the run uses SecAgg+; ``fixedclipping_mod`` clips the update when the server runs differential
privacy (it must act before masking, so it sits inside). Mods are fixed when the app loads, so
the last two apply per run config (``only_when``).
"""

from __future__ import annotations

from collections.abc import Callable

from flwr.app import Context, Message
from flwr.client import ClientApp, NumPyClient
from flwr.client.mod import fixedclipping_mod, secaggplus_mod
from flwr.clientapp.typing import ClientAppCallable, Mod

from federated.partition_files import PartitionManifest, partition_file
from federated.run_config import RunConfig
from federated.task import (
    Dataset,
    bounded,
    fit_local,
    get_model_params,
    load_dataset,
    new_model,
    set_model_params,
)
from federated.traffic import traffic_mod


class PartnerClient(NumPyClient):
    def __init__(self, data: Dataset, config: RunConfig, poisoned: bool) -> None:
        self.data, self.config, self.poisoned = data, config, poisoned
        self.model = new_model(config.local_epochs)

    def fit(self, parameters, config):
        set_model_params(self.model, parameters)
        fit_local(self.model, self.training_data())
        update = get_model_params(self.model)
        if self.poisoned and self.config.poison == "scale":
            # A model-replacement attack: the honest update, magnified (and sign-flipped).
            update = [g + self.config.poison_scale * (u - g)
                      for g, u in zip(parameters, update, strict=True)]
        return bounded(update), len(self.data), {}

    def training_data(self) -> Dataset:
        if self.poisoned and self.config.poison == "flip":
            return Dataset(self.data.x, 1 - self.data.y)
        return self.data


def client_fn(context: Context):
    config = RunConfig.from_flower(context.run_config)
    partition = int(context.node_config["partition-id"])
    manifest = PartitionManifest.read(config.partitions_dir)
    data = load_dataset(manifest.path(partition_file(partition)), config.model)
    poisoned = partition == config.poisoned_partition
    return PartnerClient(data, config, poisoned).to_client()


def only_when(applies: Callable[[RunConfig], bool], mod: Mod) -> Mod:
    """``mod`` for runs whose config it applies to; a pass-through for the others."""

    def conditional(msg: Message, context: Context, call_next: ClientAppCallable) -> Message:
        if applies(RunConfig.from_flower(context.run_config)):
            return mod(msg, context, call_next)
        return call_next(msg, context)

    return conditional


app = ClientApp(client_fn=client_fn, mods=[
    traffic_mod,
    only_when(lambda config: config.secagg, secaggplus_mod),
    only_when(lambda config: config.dp, fixedclipping_mod),
])
