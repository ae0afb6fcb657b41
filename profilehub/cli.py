"""The ``profilehub`` command: one entry point, one subcommand per thing a person runs."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

DEFAULT_START = dt.date(2026, 10, 1)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _cmd_generate(args: argparse.Namespace) -> int:
    from profilehub.generator import generate
    from profilehub.settings import get_settings

    report = generate(
        get_settings().paths,
        customers=args.customers,
        days=args.days,
        seed=args.seed,
        dirty_rate=args.dirty,
        start=args.start,
    )
    print(report.summary())
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from profilehub.settings import get_settings
    from spark.ingest import ingest_range

    result = ingest_range(get_settings(), start=args.start, end=args.end or args.start,
                          sources=args.source or None)
    print(result.summary())
    return 0


def _cmd_features(args: argparse.Namespace) -> int:
    from profilehub.settings import get_settings
    from spark.features import build_features

    print(build_features(get_settings(), args.as_of).summary())
    return 0


def _cmd_identity(args: argparse.Namespace) -> int:
    from profilehub.settings import get_settings
    from spark.identity import build_identity

    print(build_identity(get_settings(), args.as_of).summary())
    return 0


def _cmd_thrift_server(args: argparse.Namespace) -> int:
    from profilehub.settings import get_settings
    from spark.thrift_server import serve

    serve(get_settings())
    return 0  # not reached: serve() replaces this process


def _cmd_run(args: argparse.Namespace) -> int:
    from profilehub.pipeline import DemoParameters, run_demo
    from profilehub.settings import get_settings

    params = DemoParameters(customers=args.customers, days=args.days, seed=args.seed,
                            dirty_rate=args.dirty, start=args.start, daily_runs=args.daily_runs)
    run_demo(get_settings(), params, serve=not args.no_serve)
    return 0


def _cmd_training_set(args: argparse.Namespace) -> int:
    from profilehub.feature_store.training import write_training_set
    from profilehub.settings import get_settings

    rows = write_training_set(get_settings(), args.labels, args.service, args.out)
    print(f"wrote {rows} rows to {args.out}")
    return 0


def _cmd_contracts(args: argparse.Namespace) -> int:
    from profilehub.docs import contracts_markdown, write_contracts_markdown

    if not args.write:
        print(contracts_markdown())
        return 0
    # Every artefact derived from the contracts is refreshed together, so they cannot disagree.
    from profilehub.dbt_sources import write_sources

    for path in (write_contracts_markdown(), *write_sources()):
        print(f"wrote {path}")
    return 0


def _cmd_api_serve(args: argparse.Namespace) -> int:
    from api import serve
    from profilehub.settings import get_settings

    settings = get_settings()
    print(f"ProfileHub API on http://{settings.api.host}:{settings.api.port}/graphql "
          f"({settings.api.workers} worker{'s' if settings.api.workers > 1 else ''})", flush=True)
    serve(settings)
    return 0


def _cmd_api_keys(args: argparse.Namespace) -> int:
    from api.keys import KeyStore, ensure_demo_keys
    from api.roles import Role, RoleError
    from profilehub.settings import get_settings

    settings = get_settings()
    store = KeyStore.of(settings)
    if args.action == "create":
        try:
            role = Role.parse(args.role or "")
        except RoleError as error:
            print(error, file=sys.stderr)
            return 2
        print(store.create(role, args.label))
    elif args.action == "demo":
        for role, key in ensure_demo_keys(settings).items():
            print(f"{role:20} {key}")
    elif args.action == "revoke":
        return 0 if store.revoke(args.key_id) else 1
    else:
        for key in store.stored():
            print(f"{key.key_id}  {key.role:20} {key.created_at}  {key.label}")
    return 0


def _cmd_api_consent(args: argparse.Namespace) -> int:
    from api.consent import open_ledger
    from profilehub.settings import get_settings

    state = open_ledger(get_settings()).record(args.customer, args.partner, args.purpose,
                                               active=args.grant, by="cli")
    print(f"{'granted' if state.active else 'revoked'}: {state.customer_key} "
          f"{state.partner_id} {state.purpose} (binds from the next API request)")
    return 0


def _cmd_api_schema(args: argparse.Namespace) -> int:
    from api.schema import schema_sdl, write_schema_file

    print(f"wrote {write_schema_file()}" if args.write else schema_sdl(), end="\n")
    return 0


def _add_api_commands(commands) -> None:
    from profilehub.contracts import PARTNERS, PURPOSES

    api = commands.add_parser("api", help="the GraphQL API: serve it, manage keys and consent")
    actions = api.add_subparsers(dest="api_command", required=True)
    serve = actions.add_parser("serve", help="run the API (uvicorn) at the settings' host/port")
    serve.set_defaults(func=_cmd_api_serve)
    keys = actions.add_parser("keys", help="API keys, stored hashed under the data root")
    keys.add_argument("action", choices=("create", "list", "revoke", "demo"))
    keys.add_argument("--role", help="data_scientist, marketing, admin or partner:<id>")
    keys.add_argument("--label", default="", help="a note kept with the key")
    keys.add_argument("--key-id", help="the key to revoke")
    keys.set_defaults(func=_cmd_api_keys)
    consent = actions.add_parser("consent", help="record a grant or revocation in the ledger")
    consent.add_argument("--customer", required=True, help="customer_key")
    consent.add_argument("--partner", required=True, choices=PARTNERS)
    consent.add_argument("--purpose", required=True, choices=PURPOSES)
    decision = consent.add_mutually_exclusive_group(required=True)
    decision.add_argument("--grant", action="store_true")
    decision.add_argument("--revoke", action="store_true")
    consent.set_defaults(func=_cmd_api_consent)
    schema = actions.add_parser("schema", help="print the GraphQL SDL (or --write schema.graphql)")
    schema.add_argument("--write", action="store_true")
    schema.set_defaults(func=_cmd_api_schema)


def _cmd_federated_prepare(args: argparse.Namespace) -> int:
    from federated.pipeline import prepare
    from profilehub.settings import get_settings

    manifest = prepare(get_settings(), args.as_of, source=args.source,
                       num_partitions=args.partners, seed=args.seed)
    print(f"partitions in {manifest.folder}: {manifest.rows}")
    return 0


def _cmd_federated_run(args: argparse.Namespace) -> int:
    from federated.layout import partitions_dir
    from federated.partition_files import PartitionManifest
    from federated.pipeline import train
    from federated.run_config import RunConfig
    from profilehub.settings import get_settings

    settings = get_settings()
    config = RunConfig(num_server_rounds=args.rounds, model=args.model, strategy=args.strategy,
                       secagg=not args.no_secagg, dp_noise_multiplier=args.dp_noise,
                       dp_clipping_norm=args.dp_clip)
    manifest = PartitionManifest.read(partitions_dir(settings, args.as_of))
    print(train(settings, manifest, config).summary())
    return 0


def _cmd_federated_score(args: argparse.Namespace) -> int:
    from federated.pipeline import score
    from profilehub.settings import get_settings

    print(score(get_settings(), args.model, args.as_of, version=args.version).summary())
    return 0


def _cmd_federated_credentials(args: argparse.Namespace) -> int:
    from federated.credentials import create_credentials
    from profilehub.settings import get_settings

    partners = args.partners or get_settings().federated.num_partitions
    for name, value in create_credentials(Path(args.out), partners).items():
        print(f"export {name}={value}")
    return 0


def _add_federated_commands(commands) -> None:
    from federated.run_config import STRATEGIES
    from federated.task import LABELS

    fed = commands.add_parser("federated", help="train models across partners with Flower")
    actions = fed.add_subparsers(dest="federated_command", required=True)
    prep = actions.add_parser("prepare", help="non-IID partner partitions of one as_of")
    prep.add_argument("--as-of", type=_date, required=True, help="build date (YYYY-MM-DD)")
    prep.add_argument("--source", default="training_v1",
                      help="feature service, or 'lake' for lake.customer_features")
    prep.add_argument("--partners", type=int, help="number of partners (settings by default)")
    prep.add_argument("--seed", type=int, default=7)
    prep.set_defaults(func=_cmd_federated_prepare)
    run = actions.add_parser("run", help="a Deployment Engine run; results and registry")
    run.add_argument("--as-of", type=_date, required=True, help="the prepared partitions' date")
    run.add_argument("--model", choices=tuple(LABELS), default="churn")
    run.add_argument("--strategy", choices=STRATEGIES, default="fedavg")
    run.add_argument("--rounds", type=int, default=3)
    run.add_argument("--no-secagg", action="store_true",
                     help="plain fit messages (robust strategies need them)")
    run.add_argument("--dp-noise", type=float, default=0.0, help="noise multiplier (0: no DP)")
    run.add_argument("--dp-clip", type=float, default=1.0, help="clipping norm of updates")
    run.set_defaults(func=_cmd_federated_run)
    scr = actions.add_parser("score", help="batch scores into the feature store and score tags")
    scr.add_argument("--model", choices=tuple(LABELS), required=True)
    scr.add_argument("--as-of", type=_date, required=True)
    scr.add_argument("--version", type=int, help="registered version (the latest by default)")
    scr.set_defaults(func=_cmd_federated_score)
    cred = actions.add_parser("credentials", help="a CA, TLS certificate and SuperNode keys for "
                              "a secure (non-local) deployment; prints the variables to set")
    cred.add_argument("--out", required=True, help="folder to write them to")
    cred.add_argument("--partners", type=int, help="number of partners (settings by default)")
    cred.set_defaults(func=_cmd_federated_credentials)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="profilehub", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    gen = commands.add_parser("generate", help="write synthetic landing files for a brokerage")
    gen.add_argument("--customers", type=int, default=20_000)
    gen.add_argument("--days", type=int, default=30)
    gen.add_argument("--seed", type=int, default=7)
    gen.add_argument("--dirty", type=float, default=0.0,
                     help="share of records to corrupt with realistic defects (0 = clean)")
    gen.add_argument("--start", type=_date, default=DEFAULT_START, help="first delivery date")
    gen.set_defaults(func=_cmd_generate)

    run = commands.add_parser("run", help="the whole pipeline end to end on demo data")
    run.add_argument("--customers", type=int, default=20_000)
    run.add_argument("--days", type=int, default=30)
    run.add_argument("--seed", type=int, default=7)
    run.add_argument("--dirty", type=float, default=0.002)
    run.add_argument("--start", type=_date, default=DEFAULT_START, help="first delivery date")
    run.add_argument("--daily-runs", type=int, default=1,
                     help="run profile_daily for the last N dates; the first run also ingests "
                          "every earlier delivery (catch-up)")
    run.add_argument("--no-serve", action="store_true",
                     help="stop after printing the API keys instead of serving the API")
    run.set_defaults(func=_cmd_run)

    ing = commands.add_parser("ingest", help="validate landing files into the lake (Spark)")
    ing.add_argument("--start", type=_date, required=True)
    ing.add_argument("--end", type=_date)
    ing.add_argument("--source", action="append", help="only this source (repeatable)")
    ing.set_defaults(func=_cmd_ingest)

    ident = commands.add_parser("identity",
                                help="resolve customer keys and partner links (Spark)")
    ident.add_argument("--as-of", type=_date, required=True, help="build date (YYYY-MM-DD)")
    ident.set_defaults(func=_cmd_identity)

    feat = commands.add_parser("features", help="compute the customer feature table (Spark)")
    feat.add_argument("--as-of", type=_date, required=True, help="build date (YYYY-MM-DD)")
    feat.set_defaults(func=_cmd_features)

    thrift = commands.add_parser(
        "thrift-server", help="serve the warehouse to dbt's cluster target (Spark Thrift server, "
                              "needs a shared metastore)")
    thrift.set_defaults(func=_cmd_thrift_server)

    train = commands.add_parser("training-set",
                                help="point-in-time correct training set from the feature store")
    train.add_argument("--labels", type=Path, required=True,
                       help="customer_key, event_timestamp and label columns (.parquet or .csv)")
    train.add_argument("--service", default="training_v1", help="Feast feature service")
    train.add_argument("--out", type=Path, required=True, help="output .parquet or .csv")
    train.set_defaults(func=_cmd_training_set)

    con = commands.add_parser("contracts", help="print the source contracts as Markdown")
    con.add_argument("--write", action="store_true",
                     help="write docs/contracts.md and the dbt sources files instead")
    con.set_defaults(func=_cmd_contracts)

    _add_api_commands(commands)
    _add_federated_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
