/** Evaluation metrics of a classifier: accuracy, macro precision / recall / F1, per label, confusion matrix. */

export interface LabelMetrics {
  name: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  labels: LabelMetrics[];
  /** Rows: true label, columns: predicted label, both in `confusion_labels` order. */
  confusion_matrix: number[][];
  confusion_labels: string[];
  train_count: number;
  eval_count: number;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export function evaluate(labels: string[], truth: number[], predicted: number[], trainCount: number): Metrics {
  const K = labels.length;
  const cm = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  truth.forEach((t, i) => cm[t][predicted[i]]++);
  let correct = 0;
  for (let k = 0; k < K; k++) correct += cm[k][k];
  const per = labels.map((name, k): LabelMetrics => {
    const tp = cm[k][k];
    const support = cm[k].reduce((a, b) => a + b, 0);
    const predictedK = cm.reduce((a, row) => a + row[k], 0);
    const precision = predictedK ? tp / predictedK : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { name, precision: round(precision), recall: round(recall), f1: round(f1), support };
  });
  // Macro averages over the labels that occur in the evaluation samples.
  const present = per.filter((p) => p.support > 0);
  const mean = (f: (p: LabelMetrics) => number) => (present.length ? present.reduce((a, p) => a + f(p), 0) / present.length : 0);
  return {
    accuracy: round(truth.length ? correct / truth.length : 0),
    precision: round(mean((p) => p.precision)),
    recall: round(mean((p) => p.recall)),
    f1: round(mean((p) => p.f1)),
    labels: per,
    confusion_matrix: cm,
    confusion_labels: labels,
    train_count: trainCount,
    eval_count: truth.length,
  };
}
