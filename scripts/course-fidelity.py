#!/usr/bin/env python3
"""Run the course's own chapter 6 scripts on the full MNIST and record their numbers, for the reports.

    course-fidelity.py COURSE MNIST OUT [--seeds 0,1,2] [--only NAME,...]

COURSE is a checkout of oreilly-japan/deep-learning-from-scratch; MNIST a folder with the four IDX
files the reports use; OUT the JSON file to write. Nothing of the course's code is copied into this
project: each script runs from a temporary copy of the checkout, as the course runs it, with
`np.random.seed(seed)` before it, one BLAS thread and matplotlib headless. Three things are changed,
each by a substitution in the script's own text or a wrapper around its network, and said in OUT:

* the setting a script hard-codes is set per run (weight decay 0 or 0.1, dropout on or off);
* the loss the course's optimizer and initial-weight scripts draw is measured after each update, on
  the batch just learned; a wrapper around the network's `gradient` also records the loss of the
  forward pass that produced the gradient, before the update (what this project records);
* the hyperparameter search runs its 100 trials as written, and records every trial.

OUT holds, per script and seed, the summary numbers the reports set beside their own, and the
course's commit.
"""
import json
import os
import pickle
import shutil
import struct
import subprocess
import sys
import tempfile

import numpy as np

# What each run measures, as Python run in the script's globals after it finished: name -> expression.
RUNS = {
    "optimizers": ("optimizer_compare_mnist.py", {}, """
{key: {"after_update": float(np.mean(train_loss[key][-100:])), "before_update": float(np.mean(BEFORE[key][-100:])),
       "after_update_smoothed_last": float(smooth_curve(train_loss[key])[-1])} for key in optimizers}
"""),
    "initial-values": ("weight_init_compare.py", {}, """
{key: {"after_update": float(np.mean(train_loss[key][-100:])), "before_update": float(np.mean(BEFORE[key][-100:]))}
 for key in weight_init_types}
"""),
    "overfitting": ("overfit_weight_decay.py", {"weight_decay_lambda = 0.1": "weight_decay_lambda = 0"}, """
{"train_acc": float(train_acc_list[-1]), "test_acc": float(test_acc_list[-1]), "epochs": len(train_acc_list)}
"""),
    "weight-decay": ("overfit_weight_decay.py", {}, """
{"train_acc": float(train_acc_list[-1]), "test_acc": float(test_acc_list[-1]), "epochs": len(train_acc_list)}
"""),
    "dropout": ("overfit_dropout.py", {}, """
{"train_acc": float(trainer.train_acc_list[-1]), "test_acc": float(trainer.test_acc_list[-1]), "epochs": len(trainer.train_acc_list)}
"""),
    "dropout-off": ("overfit_dropout.py", {"use_dropout = True": "use_dropout = False"}, """
{"train_acc": float(trainer.train_acc_list[-1]), "test_acc": float(trainer.test_acc_list[-1]), "epochs": len(trainer.train_acc_list)}
"""),
    "batch-norm": ("batch_norm_test.py", {"plt.show()": "pass"}, """
{"scales": [float(w) for w in weight_scale_list], "with": [float(a) for a in FINALS["with"]], "without": [float(a) for a in FINALS["without"]]}
"""),
    "hyperparameters": ("hyperparameter_optimization.py", {}, """
{"best_val_acc": float(max(v[-1] for v in results_val.values())), "trials": len(results_val)}
"""),
}

WRAPPER = r"""
import json, os, sys
import numpy as np
np.random.seed(int(sys.argv[2]))
sys.path.insert(0, os.pardir)
from common import multi_layer_net, multi_layer_net_extend
from common.util import smooth_curve
BEFORE = {}
def recording(cls):
    gradient = cls.gradient
    def wrapped(self, x, t):
        BEFORE.setdefault(id(self), []).append(float(self.loss(x, t)))   # the forward pass the gradient comes from
        return gradient(self, x, t)
    cls.gradient = wrapped
recording(multi_layer_net.MultiLayerNet)
recording(multi_layer_net_extend.MultiLayerNetExtend)
source = open(sys.argv[1], encoding="utf-8").read()
for old, new in __SUBSTITUTIONS__.items():
    if old not in source:
        raise SystemExit(f"{sys.argv[1]} has no {old!r}")
    source = source.replace(old, new)
if sys.argv[1] == "batch_norm_test.py":
    # The script keeps only the last scale's lists; keep each scale's final accuracy as it goes.
    source = source.replace("    train_acc_list, bn_train_acc_list = __train(w)",
                            "    train_acc_list, bn_train_acc_list = __train(w)\n"
                            "    FINALS['with'].append(bn_train_acc_list[-1]); FINALS['without'].append(train_acc_list[-1])")
scope = {"__name__": "__main__", "FINALS": {"with": [], "without": []}}
exec(compile(source, sys.argv[1], "exec"), scope)
# The scripts that train several networks keep them in a dict by name: their losses before each update by that name.
scope["BEFORE"] = {key: BEFORE.get(id(n), []) for key, n in scope.get("networks", {}).items()}
scope["np"], scope["smooth_curve"] = np, smooth_curve
print("RESULT " + json.dumps(eval(__MEASURE__, scope)))
"""


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = struct.unpack(">" + "I" * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def prepare(course, mnist, work):
    for part in ["common", "dataset", "ch06"]:
        shutil.copytree(os.path.join(course, part), os.path.join(work, part))
    dataset = {"train_img": idx(os.path.join(mnist, "train-images-idx3-ubyte")).reshape(-1, 784),
               "train_label": idx(os.path.join(mnist, "train-labels-idx1-ubyte")),
               "test_img": idx(os.path.join(mnist, "t10k-images-idx3-ubyte")).reshape(-1, 784),
               "test_label": idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"))}
    # The course's own cache of the four files (dataset/mnist.py reads it instead of downloading).
    with open(os.path.join(work, "dataset", "mnist.pkl"), "wb") as f:
        pickle.dump(dataset, f, -1)


def run(work, name, seed):
    script, substitutions, measure = RUNS[name]
    wrapper = WRAPPER.replace("__SUBSTITUTIONS__", repr(substitutions)).replace("__MEASURE__", repr(measure.strip()))
    environment = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", MPLBACKEND="Agg")
    done = subprocess.run([sys.executable, "-c", wrapper, script, str(seed)], cwd=os.path.join(work, "ch06"), env=environment,
                          capture_output=True, text=True)
    lines = [l for l in done.stdout.splitlines() if l.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise SystemExit(f"course-fidelity: {script} (seed {seed}) failed: {done.stderr.strip().splitlines()[-1:] or done.returncode}")
    return json.loads(lines[-1][len("RESULT "):])


def main(arguments):
    if len(arguments) < 3:
        raise SystemExit(__doc__)
    course, mnist, out = arguments[:3]
    options = dict(zip(arguments[3::2], arguments[4::2]))
    seeds = [int(s) for s in options.get("--seeds", "0,1,2").split(",")]
    names = options.get("--only", ",".join(RUNS)).split(",")
    commit = subprocess.run(["git", "-C", course, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    results = json.load(open(out)) if os.path.exists(out) else {}
    results.update({"course": "oreilly-japan/deep-learning-from-scratch", "commit": commit or "unknown", "seeds": seeds,
                    "how": "each ch06 script as the course runs it, np.random.seed(seed) first, one BLAS thread, matplotlib Agg; "
                           "losses also recorded before each update by a wrapper around the network's gradient"})
    with tempfile.TemporaryDirectory() as work:
        prepare(course, mnist, work)
        for name in names:
            results.setdefault("runs", {})[name] = {"script": RUNS[name][0], "changes": RUNS[name][1],
                                                   "by_seed": [run(work, name, seed) for seed in seeds]}
            sys.stderr.write(f"course-fidelity: {name} done\n")
            temporary = out + ".part"
            with open(temporary, "w") as f:
                json.dump(results, f, indent=1, sort_keys=True)
            os.replace(temporary, out)


if __name__ == "__main__":
    main(sys.argv[1:])
