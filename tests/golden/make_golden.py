#!/usr/bin/python3
"""Golden values for the brick and loss tests, computed by PyTorch.

Run with Debian's python (python3-torch 1.13), not a pyenv python:
    /usr/bin/python3 tests/golden/make_golden.py bricks > tests/golden/bricks_golden.h
    /usr/bin/python3 tests/golden/make_golden.py losses > tests/golden/losses_golden.h

Inputs come from a small integer generator below (not torch's RNG), so the
files regenerate identically; each header carries its inputs as well as
PyTorch's outputs and autograd gradients, so the tests never need torch.
Every tensor is written as a flat float array in NCHW order plus a *_shape
array {N, C, H, W} (vectors are {N, F, 1, 1}).
"""
import sys

import torch
import torch.nn.functional as F

torch.set_grad_enabled(True)


class Gen:
    """64-bit LCG (Knuth's MMIX constants): reproducible without torch or numpy."""

    def __init__(self, seed):
        self.state = seed

    def uniform(self, lo, hi):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % 2**64
        return lo + (hi - lo) * ((self.state >> 40) / 2**24)

    def tensor(self, shape, lo=-1.0, hi=1.0):
        n = 1
        for s in shape:
            n *= s
        return torch.tensor([self.uniform(lo, hi) for _ in range(n)], dtype=torch.float32).reshape(shape)

    def distinct(self, shape, step=0.1):
        """A shuffled ramp: no two values closer than step (no max-pool ties)."""
        n = 1
        for s in shape:
            n *= s
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(self.uniform(0, i + 1)) % (i + 1)
            order[i], order[j] = order[j], order[i]
        mid = (n - 1) / 2
        return torch.tensor([(o - mid) * step for o in order], dtype=torch.float32).reshape(shape)


def nchw(shape):
    shape = list(shape)
    while len(shape) < 4:
        shape.append(1)
    return shape


def literal(v):
    """A C++ float literal: 9 significant digits round-trip any float32."""
    s = "%.9g" % v
    if "." not in s and "e" not in s:
        s += ".0"  # "0f" is not a float literal, "0.0f" is
    return s + "f"


def emit(name, t):
    t = t.detach().to(torch.float32)
    values = t.reshape(-1).tolist()
    print("inline constexpr int %s_shape[4] = {%s};" % (name, ", ".join(str(s) for s in nchw(t.shape))))
    body = ", ".join(literal(v) for v in values)
    lines, line = [], "   "
    for item in body.split(", "):
        if len(line) + len(item) + 2 > 98:
            lines.append(line)
            line = "   "
        line += " " + item + ","
    lines.append(line)
    print("inline constexpr float %s[%d] = {\n%s\n};" % (name, len(values), "\n".join(lines)))


def emit_scalar(name, v):
    print("inline constexpr float %s = %s;" % (name, literal(float(v))))


def leaf(t):
    return t.clone().requires_grad_(True)


def section(title):
    print("\n// ---- %s" % title)


def bricks():
    g = Gen(1)

    section("conv2d: 3 -> 4 channels, 3x3 kernel, stride 2, pad 1, bias; input 7x6")
    x, w, b = leaf(g.tensor((2, 3, 7, 6))), leaf(g.tensor((4, 3, 3, 3), -0.5, 0.5)), leaf(g.tensor((4,)))
    y = F.conv2d(x, w, b, stride=2, padding=1)
    dy = g.tensor(y.shape)
    y.backward(dy)
    for n, t in [("x", x), ("weight", w), ("bias", b), ("y", y), ("dy", dy), ("dx", x.grad),
                 ("dweight", w.grad), ("dbias", b.grad)]:
        emit("conv_s2_" + n, t)

    section("conv2d: 1 -> 2 channels, 5x5 kernel, stride 1, no pad, no bias; input 6x8")
    x, w = leaf(g.tensor((1, 1, 6, 8))), leaf(g.tensor((2, 1, 5, 5), -0.5, 0.5))
    y = F.conv2d(x, w)
    dy = g.tensor(y.shape)
    y.backward(dy)
    for n, t in [("x", x), ("weight", w), ("y", y), ("dy", dy), ("dx", x.grad), ("dweight", w.grad)]:
        emit("conv_k5_" + n, t)

    section("dense: (3, 2x2x3 = 12 features) -> 5 units; x given as (3, 3, 2, 2)")
    x, w, b = leaf(g.tensor((3, 3, 2, 2))), leaf(g.tensor((5, 12), -0.5, 0.5)), leaf(g.tensor((5,)))
    y = F.linear(x.reshape(3, 12), w, b)
    dy = g.tensor(y.shape)
    y.backward(dy)
    for n, t in [("x", x), ("weight", w), ("bias", b), ("y", y), ("dy", dy), ("dx", x.grad),
                 ("dweight", w.grad), ("dbias", b.grad)]:
        emit("dense_" + n, t)

    for name, size, stride, shape in [("2x2", 2, 2, (2, 3, 6, 5)), ("3s2", 3, 2, (1, 2, 7, 8))]:
        section("maxpool2d and avgpool2d: size %d stride %d on %s" % (size, stride, shape))
        x = leaf(g.distinct(shape))
        y = F.max_pool2d(x, size, stride)
        dy = g.tensor(y.shape)
        y.backward(dy)
        for n, t in [("x", x), ("y", y), ("dy", dy), ("dx", x.grad)]:
            emit("maxpool_%s_%s" % (name, n), t)
        x = leaf(x.detach())
        y = F.avg_pool2d(x, size, stride)
        y.backward(dy)
        for n, t in [("y", y), ("dx", x.grad)]:
            emit("avgpool_%s_%s" % (name, n), t)

    section("softmax over channels of (2, 4, 2, 3)")
    x = leaf(g.tensor((2, 4, 2, 3), -3, 3))
    y = F.softmax(x, dim=1)
    dy = g.tensor(y.shape)
    y.backward(dy)
    for n, t in [("x", x), ("y", y), ("dy", dy), ("dx", x.grad)]:
        emit("softmax_" + n, t)

    # BatchNorm: torch's momentum is the weight of the NEW value, ours of the
    # old one: ours 0.9 == torch 0.1. Running stats start at mean 0, var 1.
    for name, shape in [("conv", (4, 3, 3, 2)), ("dense", (6, 5))]:
        section("batchnorm after %s: x %s, training step then inference" % (name, shape))
        c = shape[1]
        x = leaf(g.tensor(shape, -2, 3))
        gamma, beta = leaf(g.tensor((c,), 0.5, 1.5)), leaf(g.tensor((c,), -0.5, 0.5))
        rm, rv = torch.zeros(c), torch.ones(c)
        y = F.batch_norm(x, rm, rv, gamma, beta, training=True, momentum=0.1, eps=1e-5)
        dy = g.tensor(y.shape)
        y.backward(dy)
        for n, t in [("x", x), ("gamma", gamma), ("beta", beta), ("y", y), ("dy", dy), ("dx", x.grad),
                     ("dgamma", gamma.grad), ("dbeta", beta.grad), ("running_mean", rm),
                     ("running_var", rv)]:
            emit("bn_%s_%s" % (name, n), t)
        # Inference on the same batch with the running stats after that one step.
        x2 = leaf(x.detach())
        y = F.batch_norm(x2, rm.clone(), rv.clone(), gamma.detach(), beta.detach(), training=False, eps=1e-5)
        y.backward(dy)
        emit("bn_%s_y_inference" % name, y)
        emit("bn_%s_dx_inference" % name, x2.grad)


def losses():
    g = Gen(2)
    n, k = 4, 5

    def grad_of(fn, x):
        x = leaf(x)
        loss = fn(x)
        loss.backward()
        return loss, x.grad

    section("mse on (3, 2, 2, 2)")
    out, tgt = g.tensor((3, 2, 2, 2), -2, 2), g.tensor((3, 2, 2, 2), -2, 2)
    loss, d = grad_of(lambda o: F.mse_loss(o, tgt), out)
    emit("mse_output", out), emit("mse_target", tgt), emit_scalar("mse_loss", loss), emit("mse_grad", d)

    section("binary cross-entropy: probabilities and logits, soft targets in [0, 1], (4, 3)")
    p, tgt = g.tensor((n, 3), 0.05, 0.95), g.tensor((n, 3), 0, 1)
    loss, d = grad_of(lambda o: F.binary_cross_entropy(o, tgt), p)
    emit("bce_output", p), emit("bce_target", tgt), emit_scalar("bce_loss", loss), emit("bce_grad", d)
    logits = g.tensor((n, 3), -4, 4)
    logits[0, 0], logits[1, 1], logits[2, 2] = 40.0, -40.0, 95.0  # far saturated: must stay finite
    loss, d = grad_of(lambda o: F.binary_cross_entropy_with_logits(o, tgt), logits)
    emit("bcel_output", logits), emit_scalar("bcel_loss", loss), emit("bcel_grad", d)

    section("categorical cross-entropy: K = 5 classes, N = 4; labels and the same as one-hot rows")
    labels = torch.tensor([3, 0, 4, 1])
    onehot = F.one_hot(labels, k).float()
    soft = F.softmax(g.tensor((n, k), -2, 2), dim=1)  # soft targets: rows sum to 1
    emit("cce_labels", labels.float().reshape(n, 1)), emit("cce_onehot", onehot), emit("cce_soft", soft)
    probs = F.softmax(g.tensor((n, k), -2, 2), dim=1)
    loss, d = grad_of(lambda o: F.nll_loss(torch.log(o), labels), probs)
    emit("cce_probs", probs), emit_scalar("cce_loss", loss), emit("cce_grad", d)
    loss, d = grad_of(lambda o: -(soft * torch.log(o)).sum(1).mean(), probs)
    emit_scalar("cce_soft_loss", loss), emit("cce_soft_grad", d)
    logits = g.tensor((n, k), -3, 3)
    logits[2, 0] = 80.0  # a huge logit: exp would overflow float without the max shift
    loss, d = grad_of(lambda o: F.cross_entropy(o, labels), logits)
    emit("sce_logits", logits), emit_scalar("sce_loss", loss), emit("sce_grad", d)
    loss, d = grad_of(lambda o: -(soft * F.log_softmax(o, dim=1)).sum(1).mean(), logits)
    emit_scalar("sce_soft_loss", loss), emit("sce_soft_grad", d)

    section("margin losses on signed scores; labels -1/+1")
    x = g.tensor((n, 3), -2, 2)
    c = torch.where(g.tensor((n, 3)) > 0, 1.0, -1.0)
    x[0, 0], x[0, 1] = 50.0, -50.0  # far from the boundary: stable softplus
    emit("margin_output", x), emit("margin_target", c)
    loss, d = grad_of(lambda o: F.soft_margin_loss(o, c), x)
    emit_scalar("logistic_loss", loss), emit("logistic_grad", d)
    for m, name in [(1.0, "hinge"), (0.5, "hinge_m05")]:
        loss, d = grad_of(lambda o: torch.clamp(m - c * o, min=0).mean(), x)
        emit_scalar(name + "_loss", loss), emit(name + "_grad", d)

    section("multi-class hinge (Weston-Watkins) = torch multi_margin_loss * K")
    x = g.tensor((n, k), -1.5, 1.5)
    emit("mm_output", x)
    for m, name in [(1.0, "mm"), (0.3, "mm_m03")]:
        loss, d = grad_of(lambda o: F.multi_margin_loss(o, labels, margin=m) * k, x)
        emit_scalar(name + "_loss", loss), emit(name + "_grad", d)


def main():
    what = sys.argv[1] if len(sys.argv) > 1 else ""
    if what not in ("bricks", "losses"):
        sys.exit("usage: make_golden.py bricks|losses > tests/golden/<what>_golden.h")
    print("// Generated by tests/golden/make_golden.py %s with PyTorch %s. Do not edit;" % (what, torch.__version__))
    print("// regenerate with /usr/bin/python3 (Debian's python3-torch).")
    print("#pragma once\n\nnamespace cnn::golden {")
    bricks() if what == "bricks" else losses()
    print("\n}  // namespace cnn::golden")


if __name__ == "__main__":
    main()
