#!/usr/bin/env bash
# Kill and resume: a short training run (a tiny Fashion-MNIST-layout data set, 32x32, dim_z 4, a
# checkpoint after every step) is SIGKILLed three times, at a seeded random moment, inside a
# checkpoint write, and in a step, and restarted with --resume until it finishes; its final checkpoint and metrics.csv must
# be bitwise identical to those of the same run left alone. A last trial presses Ctrl-C (SIGINT)
# instead: the run must finish its step, write a checkpoint and exit 130, then resume the same way.
# Finally the same run on 1 and 3 threads and on JDK 17 must give the same final checkpoint bits.
#
# Usage: .ci/kill-resume.sh [TRIALS (default 3)] [SEED (default 1)]
# Prints one line per launch and a summary; exits non-zero on the first mismatch.
set -euo pipefail
set -m # each run in its own process group, so SIGINT reaches it (a script's background jobs ignore it otherwise)
cd "$(dirname "$0")/.."

trials="${1:-3}"
RANDOM="${2:-1}" # seeds bash's generator: the same kill moments on every run of the script
kills_per_trial=3
work="$(mktemp -d)"
trap '[[ -n "${KEEP_WORK:-}" ]] || rm -rf "$work"' EXIT

# 15 images of 28x28 (13 train, 2 valid): 4 steps of 3 images per epoch, 2 epochs, 8 steps.
python3 - "$work/data" <<'EOF'
import gzip, os, struct, sys
folder, n = sys.argv[1], 15
os.makedirs(folder)
pixels = bytes(((x * 9 + y * 5 + i * 37) ^ (x * y + i)) & 0xFF for i in range(n) for y in range(28) for x in range(28))
for prefix in ("train", "t10k"):
    with gzip.open(f"{folder}/{prefix}-images-idx3-ubyte.gz", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, n, 28, 28) + pixels)
    with gzip.open(f"{folder}/{prefix}-labels-idx1-ubyte.gz", "wb") as f:
        f.write(struct.pack(">II", 0x801, n) + bytes(i % 10 for i in range(n)))
EOF
train=(train --data "$work/data" --format fashion-mnist --epochs 2 --batch 3 --dim-z 4 --seed 11 --checkpoint-minutes 0)
final="checkpoints/step-000000008.safetensors"

./javae --version >/dev/null # builds now, so the timings below are of training alone

now_ms() { date +%s%3N; }
has_checkpoint() { compgen -G "$1/checkpoints/step-*.safetensors" >/dev/null; }
newest_step() { local name; name="$(newest_checkpoint "$1")"; if [[ "$name" == none ]]; then echo -1; else name="${name#step-}"; echo $(( 10#${name%.safetensors} )); fi; }
newest_checkpoint() { # the last name in glob order (zero-padded steps), without ls: pruning may delete a file meanwhile
  local files=("$1"/checkpoints/step-*.safetensors)
  if [[ -e "${files[0]}" ]]; then basename "${files[${#files[@]} - 1]}"; else echo none; fi
}

# Starts the run in $1 (with --resume when it has a checkpoint) in the background; sets $pid.
launch() {
  local out="$1" args=("${train[@]}" --out "$1")
  if has_checkpoint "$out"; then args+=(--resume); fi
  ./javae "${args[@]}" >>"$out.log" 2>&1 &
  pid=$!
}

# Waits for $pid and sets $status to its exit status (not in a subshell: only this shell can wait for it).
wait_status() {
  status=0
  wait "$pid" 2>/dev/null || status=$? # 2>/dev/null: no job-control 'Killed' line
}

# The reference: the same run, never interrupted.
start=$(now_ms)
launch "$work/reference"
wait_status
[[ "$status" == 0 ]] || { echo "kill-resume: the uninterrupted run failed:"; tail -5 "$work/reference.log"; exit 1; }
run_ms=$(( $(now_ms) - start ))
[[ -f "$work/reference/$final" ]] || { echo "kill-resume: the uninterrupted run wrote no $final"; exit 1; }
echo "kill-resume: uninterrupted run: $(( run_ms / 1000 )).$(( run_ms % 1000 / 100 )) s, final $(basename "$final")"

# Compares trial $1's final checkpoint and metrics with the reference; exits on a difference.
compare() {
  local out="$1" name="$2"
  [[ -f "$out/$final" ]] || { echo "kill-resume: $name: no final checkpoint $final"; tail -5 "$out.log"; exit 1; }
  cmp "$work/reference/$final" "$out/$final" || { echo "kill-resume: $name: final checkpoint differs from the uninterrupted run"; exit 1; }
  cmp "$work/reference/metrics.csv" "$out/metrics.csv" || { echo "kill-resume: $name: metrics.csv differs from the uninterrupted run"; exit 1; }
  echo "kill-resume: $name: final checkpoint and metrics.csv bitwise identical to the uninterrupted run"
}

passed=0
for trial in $(seq 1 "$trials"); do
  out="$work/trial-$trial"
  kills=0 launches=0
  while :; do
    launch "$out"
    launches=$((launches + 1))
    if (( kills < kills_per_trial )); then
      case "$kills" in
        0) # anywhere from JVM start-up to past the end
          delay_ms=$(( 300 + (RANDOM * 32768 + RANDOM) % run_ms ))
          moment="after $delay_ms ms"
          sleep "$(( delay_ms / 1000 )).$(printf '%03d' $(( delay_ms % 1000 )))" ;;
        1) # inside a checkpoint write: as soon as this launch's first temporary file appears (builtins only, to be quick)
          moment="in its first checkpoint write"
          touch "$out.launched"
          while kill -0 "$pid" 2>/dev/null; do
            for tmp in "$out"/checkpoints/*.tmp; do [[ -e "$tmp" && "$tmp" -nt "$out.launched" ]] && break 2; done
          done ;;
        *) # in a step: right after 1 to 3 more checkpoints of this launch
          more=$(( 1 + RANDOM % 3 ))
          moment="in the step after its checkpoint number $more"
          base=$(newest_step "$out")
          target=$(( (base < 0 ? 0 : base) + more ))
          while kill -0 "$pid" 2>/dev/null && (( $(newest_step "$out") < target )); do sleep 0.02; done ;;
      esac
      kill -KILL "$pid" 2>/dev/null || true
      wait_status
      if [[ "$status" == 0 ]]; then
        echo "kill-resume: trial $trial launch $launches: finished before the kill ($moment)"
        break
      fi
      kills=$((kills + 1))
      torn=$(compgen -G "$out/checkpoints/*.tmp" >/dev/null && echo ", a checkpoint write was cut off" || true)
      echo "kill-resume: trial $trial launch $launches: SIGKILL $moment (exit $status), newest checkpoint $(newest_checkpoint "$out")$torn"
    else
      wait_status
      [[ "$status" == 0 ]] || { echo "kill-resume: trial $trial: the resumed run failed (exit $status):"; tail -5 "$out.log"; exit 1; }
      echo "kill-resume: trial $trial launch $launches: resumed and finished"
      break
    fi
  done
  compare "$out" "trial $trial ($kills kills)"
  passed=$((passed + 1))
done

# Ctrl-C in the step after checkpoint 1 to 3; expect exit 130 and a checkpoint.
out="$work/sigint"
launch "$out"
more=$(( 1 + RANDOM % 3 ))
while kill -0 "$pid" 2>/dev/null && (( $(newest_step "$out") < more )); do sleep 0.02; done
before="$(newest_checkpoint "$out")"
kill -INT "$pid" 2>/dev/null || true
wait_status
if [[ "$status" == 0 ]]; then
  echo "kill-resume: SIGINT trial: the run finished before the signal; not counted"
else
  [[ "$status" == 130 ]] || { echo "kill-resume: SIGINT: exit $status, expected 130"; tail -5 "$out.log"; exit 1; }
  said=$(grep -q "interrupted" "$out.log" && echo "said so" || echo "printed no 'interrupted' line")
  echo "kill-resume: SIGINT in the step after checkpoint $more: exit 130, $said, newest checkpoint $before -> $(newest_checkpoint "$out")"
  launch "$out"
  wait_status
  [[ "$status" == 0 ]] || { echo "kill-resume: SIGINT trial: the resumed run failed (exit $status)"; tail -5 "$out.log"; exit 1; }
  compare "$out" "SIGINT trial"
  passed=$((passed + 1))
fi
echo "kill-resume: $passed of $((trials + 1)) trials passed ($trials with up to $kills_per_trial SIGKILLs, 1 with SIGINT)"

# The same run on 1 and 3 threads, and on JDK 17 (the launcher picks the newest JDK): the same bits.
variants=("--threads 1" "--threads 3")
jdk17=/usr/lib/jvm/java-17-openjdk-amd64
if [[ -x "$jdk17/bin/java" ]]; then variants+=("jdk17"); fi
for variant in "${variants[@]}"; do
  out="$work/variant-${variant// /}"
  if [[ "$variant" == jdk17 ]]; then
    JAVA_HOME="$jdk17" ./javae "${train[@]}" --out "$out" >"$out.log" 2>&1 || { echo "kill-resume: $variant run failed"; tail -5 "$out.log"; exit 1; }
  else
    # shellcheck disable=SC2086 # the variant is two words on purpose
    ./javae "${train[@]}" $variant --out "$out" >"$out.log" 2>&1 || { echo "kill-resume: $variant run failed"; tail -5 "$out.log"; exit 1; }
  fi
  cmp -s "$work/reference/$final" "$out/$final" || { echo "kill-resume: $variant: final checkpoint differs from the default run"; exit 1; }
  echo "kill-resume: $variant: final checkpoint bitwise identical to the default run"
done
