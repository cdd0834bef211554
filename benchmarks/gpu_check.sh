#!/usr/bin/env bash
# The GPU benchmark run of issue 19 in one script: op overhead, serving latency, fit speed
# (float32 and mixed_bfloat16) and the layer-heavy fits on every backend whose engine sees the
# device, plus which kernels the recurrent layers ran, as markdown tables.
#
#   benchmarks/gpu_check.sh --fetch-wheels
#       (on a machine with a package index) downloads into .whl/ the wheels a GPU image may
#       lack: optree (a unikeras dependency), keras 3.15.1 and namex (the Keras 3 rows), for
#       CPython 3.12 on x86-64 Linux; .whl/ ignores itself in git.
#   benchmarks/gpu_check.sh [--device gpu|cpu|auto] [--quick] [--python PY] [--out DIR]
#                           [--backends jax,torch,tensorflow] [--budget SECONDS]
#       runs the benchmarks (default: --device gpu, python3, $OUT or ./gpu_check_out, every
#       backend whose engine imports, a budget of 420 s: a step that would start after it is
#       skipped and each step's timeout is cut to what is left) and writes DIR/gpu_benchmarks.md
#       (the tables, with the card and the versions) and DIR/logs/*.log, *.err.
#
# When the Python has the engines but not unikeras (a GPU image), the checkout is made
# importable without a build (benchmarks/checkout_site.py: the src folders and the plugins'
# entry points on PYTHONPATH) and the wheels in .whl/, if any, are unpacked beside it.
# On the device machine of this workplace, from the repository root:
#   run(command="bash benchmarks/gpu_check.sh", carry=[".whl"], timeout_s=540)
# CPU dry run (tiny sizes, about 2 minutes on 2 cores):
#   bash benchmarks/gpu_check.sh --device cpu --quick --python .venv/bin/python --out /tmp/gpu_dry
set -uo pipefail
cd "$(dirname "$0")/.."

DEVICE=gpu
QUICK=0
PY=python3
OUTDIR="${OUT:-gpu_check_out}"
BACKENDS=""
BUDGET=420

fetch_wheels() {
    mkdir -p .whl
    printf '*\n' > .whl/.gitignore
    python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 \
        --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
        --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
        -d .whl optree==0.20.0 keras==3.15.1 namex==0.1.0
}

while [ $# -gt 0 ]; do
    case "$1" in
        --fetch-wheels) fetch_wheels; exit $? ;;
        --device) DEVICE="$2"; shift ;;
        --quick) QUICK=1 ;;
        --python) PY="$2"; shift ;;
        --out) OUTDIR="$2"; shift ;;
        --backends) BACKENDS="$2"; shift ;;
        --budget) BUDGET="$2"; shift ;;
        *) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
    shift
done

mkdir -p "$OUTDIR/logs"
MD="$OUTDIR/gpu_benchmarks.md"
export PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=2

# --- make unikeras importable -------------------------------------------------------------
if ! "$PY" -c "import unikeras" >/dev/null 2>&1; then
    SITE="$(mktemp -d)/site"
    mkdir -p "$SITE"
    if ls .whl/*.whl >/dev/null 2>&1; then
        for wheel in .whl/*.whl; do  # wheels are zip files: unpacking is installing them
            "$PY" -m zipfile -e "$wheel" "$SITE" || exit 1
        done
    fi
    EXTRA="$("$PY" benchmarks/checkout_site.py "$SITE")" || exit 1
    export PYTHONPATH="$EXTRA${PYTHONPATH:+:$PYTHONPATH}"
fi

# --- which backends run -------------------------------------------------------------------
sees_device() {  # exit 0 when backend $1's engine imports and (for --device gpu) sees a GPU
    local probe
    case "$1" in
        torch) probe="import torch; ok = torch.cuda.is_available()" ;;
        jax) probe="import jax; ok = jax.default_backend() in ('gpu', 'cuda', 'rocm')" ;;
        tensorflow) probe="import tensorflow as tf; ok = bool(tf.config.list_physical_devices('GPU'))" ;;
        *) return 1 ;;
    esac
    [ "$DEVICE" = gpu ] || probe="$probe or True"
    "$PY" -c "$probe; import unikeras_${1/tensorflow/tf}; raise SystemExit(0 if ok else 1)" \
        >/dev/null 2>&1
}

RUN=()
SKIPPED=()
for backend in $(echo "${BACKENDS:-jax,torch,tensorflow}" | tr ',' ' '); do
    if sees_device "$backend"; then RUN+=("$backend"); else SKIPPED+=("$backend"); fi
done
if [ ${#RUN[@]} -eq 0 ]; then
    echo "gpu_check: no backend sees a ${DEVICE} device (tried ${BACKENDS:-jax,torch,tensorflow})" >&2
    exit 1
fi
ENVS=()
for backend in "${RUN[@]}"; do ENVS+=(--env "$backend=$PY"); done

# --- header -------------------------------------------------------------------------------
{
    echo "# unikeras benchmarks, --device $DEVICE$([ $QUICK = 1 ] && echo ' (quick)')"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
    echo "- GPU: $(nvidia-smi -L 2>/dev/null | head -1 || true)$(command -v nvidia-smi >/dev/null || echo none)"
    echo "- CPU: $(getconf _NPROCESSORS_ONLN) cores; Python: $("$PY" -c 'import platform; print(platform.python_version())')"
    "$PY" - "${RUN[@]}" <<'EOF'
import importlib
import sys

for name in ("numpy", *sys.argv[1:], "keras"):
    try:
        module = importlib.import_module(name)
    except Exception:
        continue
    print(f"- {name} {getattr(module, '__version__', '?')}")
EOF
    echo "- backends run: ${RUN[*]}; not run (engine missing or no device): ${SKIPPED[*]:-none}"
    echo
} > "$MD"

# --- steps --------------------------------------------------------------------------------
START=$SECONDS
step() {  # step TITLE TIMEOUT COMMAND...: runs COMMAND within the budget, its output to $MD
    local title="$1" limit="$2"
    shift 2
    local left=$((BUDGET - (SECONDS - START)))
    if [ "$left" -lt 15 ]; then
        printf '## %s\n\nskipped: the %s s budget is spent\n\n' "$title" "$BUDGET" >> "$MD"
        return
    fi
    [ "$limit" -gt "$left" ] && limit=$left
    local log
    log="$OUTDIR/logs/$(echo "$title" | tr -c 'A-Za-z0-9_.-' '_').log"
    echo "gpu_check: $title (timeout ${limit}s, $((SECONDS - START))s used)" >&2
    local began=$SECONDS
    timeout "$limit" "$@" > "$log" 2> "${log%.log}.err"
    local status=$?
    {
        printf '## %s\n\n' "$title"
        if [ $status -eq 0 ]; then
            cat "$log"
        else
            echo "failed (exit status $status$([ $status = 124 ] && echo ', timed out')):"
            echo '```'
            tail -n 15 "$log" "${log%.log}.err"
            echo '```'
        fi
        printf '\n(%s s)\n\n' "$((SECONDS - began))"
    } >> "$MD"
}

# each script on every backend run, one merged table (run_all.py)
BENCH=("$PY" benchmarks/run_all.py "${ENVS[@]}")

if [ $QUICK = 1 ]; then
    FIT=(--samples 256 --repeats 1)
    FIT_MODELS=(lstm)
    LAYER=(--model lstm --samples 128 --repeats 1)
    PREDICT=(--repeats 3 --models mlp)
    OPS=(--repeats 2 --calls 100)
    T=120
else
    FIT=(--samples 4096 --repeats 5)
    FIT_MODELS=(lstm cnn mlp)
    LAYER=(--samples 1280 --repeats 3)
    PREDICT=(--repeats 51)
    OPS=(--repeats 21 --calls 1000)
    T=150
fi

step "recurrent kernels" 90 "$PY" benchmarks/rnn_kernels.py --device "$DEVICE" --backends "$(IFS=,; echo "${RUN[*]}")"
for model in "${FIT_MODELS[@]}"; do
    step "fit_speed $model float32" "$T" "${BENCH[@]}" benchmarks/fit_speed.py -- --device "$DEVICE" --model "$model" "${FIT[@]}"
done
step "predict_latency float32" "$T" "${BENCH[@]}" benchmarks/predict_latency.py -- --device "$DEVICE" "${PREDICT[@]}"
step "op_overhead" "$T" "${BENCH[@]}" benchmarks/op_overhead.py -- --device "$DEVICE" "${OPS[@]}"
for model in "${FIT_MODELS[@]}"; do
    step "fit_speed $model mixed_bfloat16" "$T" "${BENCH[@]}" benchmarks/fit_speed.py -- --device "$DEVICE" --model "$model" "${FIT[@]}" \
        --mixed-precision bfloat16
done
step "layer_fit float32" "$T" "${BENCH[@]}" benchmarks/layer_fit.py -- --device "$DEVICE" "${LAYER[@]}"
step "predict_latency mixed_bfloat16" "$T" "${BENCH[@]}" benchmarks/predict_latency.py -- --device "$DEVICE" "${PREDICT[@]}" \
    --mixed-precision bfloat16

echo "gpu_check: done in $((SECONDS - START)) s; tables in $MD" >&2
cat "$MD"
