import type { Response } from 'express';

/** Every error of the control listener has this one shape, so the dashboard can show `error.message`. */
export interface ControlErrorBody {
  error: { message: string };
}

export function sendError(res: Response, status: number, message: string): void {
  const body: ControlErrorBody = { error: { message } };
  res.status(status).json(body);
}

/** Header values and paths come from whoever connected: cap them before they reach a log line. */
export function clip(value: string, max = 100): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
