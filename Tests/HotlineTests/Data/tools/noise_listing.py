#!/usr/bin/env python3
"""Lists candidate noise complaints for reading (CityNet issue 10, section 3), then writes the ones read as noise.

Candidates: messages whose title or detail has 噪音|噪声|扰民|吵闹|太吵|很吵|喧哗|鸣笛|分贝, from
messages_with_replies_full2816_fujian4.csv (all), messages_labelled_train.csv (all) and
hotspot_messages_full4326_fujian3.csv (one per distinct 12-character title start, 90 drawn with seed 5).
noise_read_labels.txt gives, per listing index, the scenario a person assigned after reading the message;
candidates not listed there were read as not (mainly) a noise complaint (fumes, dust, planning objections...).
Usage: noise_listing.py SHARED_DIR OUT.csv
"""
import csv, random, re, sys, os

noise = re.compile(r"噪音|噪声|扰民|吵闹|太吵|很吵|喧哗|鸣笛|分贝")
shared = sys.argv[1]
out = []
for name, cols, idc in [("messages_with_replies_full2816_fujian4.csv", ["title", "detail"], "message_id"),
                        ("messages_labelled_train.csv", ["text"], "id"),
                        ("hotspot_messages_full4326_fujian3.csv", ["title", "detail"], "message_id")]:
    rows = [r for r in csv.DictReader(open(os.path.join(shared, name), encoding="utf-8"))
            if noise.search(" ".join(r[c] for c in cols))]
    src = name.split("_")[0]
    if src == "hotspot":
        seen, uniq = set(), []
        for r in rows:
            if r["title"][:12] not in seen:
                seen.add(r["title"][:12]); uniq.append(r)
        random.seed(5); rows = random.sample(uniq, min(90, len(uniq)))
    for r in rows:
        out.append((src + ":" + r[idc], "\n".join(r[c] for c in cols).replace("_x000D_", "").strip()))
labels = {}
for line in open(os.path.join(os.path.dirname(__file__), "noise_read_labels.txt"), encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        i, s = line.split(); labels[int(i)] = s
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f); w.writerow(["source_id", "text", "noise_scenario"])
    for i, (k, t) in enumerate(out):
        if i in labels:
            w.writerow([k, t, labels[i]])
print(len(out), "candidates,", len(labels), "read as noise", file=sys.stderr)
