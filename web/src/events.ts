/** Pages call this after something that changes the caller's pending tasks (the header badge). */
export function tasksChanged(): void {
  window.dispatchEvent(new Event('kf:tasks-changed'));
}
