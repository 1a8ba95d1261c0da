"""PyTorch CPU peer of the Swift DeeLeMa training step (same network, completion and loss).

Network: Linear(16, H), GELU(tanh), L x [Linear(H, H), GELU(tanh)], Linear(H, 4) (learn mode
"none"); completion with the MET vector, on-shell energies with fixed m_C; L1 loss
L_A + L_B over (m_X1, m_X2, M_X); learnable M_B = M_C + elu(u_B) + 1, M_A = M_B + elu(u_A) + 1;
Adam on everything. Inputs are random toy-like four-vectors: only the timing matters here.

    python3 benchmarks/deelema_torch.py --threads 1 --batch 2048 --steps 20
prints one line: torch step_ms X infer_events_per_s Y
"""
import argparse
import time

import torch

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=1)
p.add_argument("--batch", type=int, default=2048)
p.add_argument("--hidden", type=int, default=256)
p.add_argument("--layers", type=int, default=5)
p.add_argument("--steps", type=int, default=20)
a = p.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(1)

layers = [torch.nn.Linear(16, a.hidden), torch.nn.GELU(approximate="tanh")]
for _ in range(a.layers):
    layers += [torch.nn.Linear(a.hidden, a.hidden), torch.nn.GELU(approximate="tanh")]
layers.append(torch.nn.Linear(a.hidden, 4))
net = torch.nn.Sequential(*layers)
u = torch.nn.Parameter(torch.zeros(2))
mC = 0.7
opt = torch.optim.Adam(list(net.parameters()) + [u], lr=1e-6)

B = a.batch
vis = torch.rand(B, 4, 4) * 0.5
vis[:, :, 0] = vis[:, :, 1:].norm(dim=2) + 0.01
x = vis.reshape(B, 16)
met = torch.randn(B, 2) * 0.1


def mass(v):
    s = v[:, 0] ** 2 - v[:, 1] ** 2 - v[:, 2] ** 2 - v[:, 3] ** 2
    return s / torch.sqrt(s.abs() + 1e-10)


def loss_fn(out):
    qx1, qy2, qz1, qz2 = out[:, 0], out[:, 1], out[:, 2], out[:, 3]
    q1 = torch.stack([qx1, met[:, 1] - qy2, qz1], 1)
    q2 = torch.stack([met[:, 0] - qx1, qy2, qz2], 1)
    c1 = torch.cat([torch.sqrt(mC ** 2 + (q1 ** 2).sum(1, keepdim=True)), q1], 1)
    c2 = torch.cat([torch.sqrt(mC ** 2 + (q2 ** 2).sum(1, keepdim=True)), q2], 1)
    B1, B2 = vis[:, 2] + c1, vis[:, 3] + c2
    A1, A2 = vis[:, 0] + B1, vis[:, 1] + B2
    MB = mC + torch.nn.functional.elu(u[0]) + 1
    MA = MB + torch.nn.functional.elu(u[1]) + 1
    mA1, mA2, mB1, mB2 = mass(A1), mass(A2), mass(B1), mass(B2)
    l = ((mA1 - mA2).abs() + (mA1 - MA).abs() + (mA2 - MA).abs()
         + (mB1 - mB2).abs() + (mB1 - MB).abs() + (mB2 - MB).abs())
    return l.mean()


def step():
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(net(x))
    loss.backward()
    opt.step()


for _ in range(3):
    step()
t0 = time.perf_counter()
for _ in range(a.steps):
    step()
step_ms = (time.perf_counter() - t0) / a.steps * 1e3

with torch.no_grad():
    xx = torch.cat([x, x])
    t0 = time.perf_counter()
    n = 0
    for _ in range(max(1, a.steps // 2)):
        out = net(xx)
        n += xx.shape[0]
    rate = n / (time.perf_counter() - t0)
print(f"torch step_ms {step_ms:.3f} infer_events_per_s {rate:.0f} threads {a.threads} batch {B} torch {torch.__version__}")
