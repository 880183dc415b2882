import { checkSettings, settingChoices, type TrainingSettings } from '../training/settings.js';

const numberFields = ['learningRate', 'epochs', 'batchSize', 'trainSamples', 'validationSamples', 'seed'] as const;
const choiceFields = {
  task: settingChoices.tasks,
  optimizer: settingChoices.optimizers,
  schedule: settingChoices.schedules,
} as const;

/**
 * The settings form: fills the selects, shows settings, and reads them back checked.
 *
 * @example
 * const form = new SettingsForm(document.querySelector('form')!);
 * form.show(defaultSettings);
 * const settings = form.read(); // throws with the field's name when a value is out of range
 */
export class SettingsForm {
  constructor(private readonly form: HTMLFormElement) {
    for (const [name, choices] of Object.entries(choiceFields)) {
      const select = this.field(name) as HTMLSelectElement;
      select.replaceChildren(...choices.map((choice) => new Option(choice, choice)));
    }
  }

  show(settings: TrainingSettings): void {
    for (const name of Object.keys(choiceFields)) this.field(name).value = settings[name as keyof typeof choiceFields];
    for (const name of numberFields) this.field(name).value = String(settings[name]);
  }

  read(): TrainingSettings {
    const values: Record<string, unknown> = {};
    for (const name of Object.keys(choiceFields)) values[name] = this.field(name).value;
    for (const name of numberFields) values[name] = Number(this.field(name).value);
    return checkSettings(values as unknown as TrainingSettings);
  }

  /** The "pause after epoch" field: a number, or `null` when empty. */
  pauseAfterEpoch(): number | null {
    const text = this.field('pauseAfterEpoch').value.trim();
    if (text === '') return null;
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`pause after epoch must be empty or an integer >= 1, got ${JSON.stringify(text)}`);
    return value;
  }

  /** Locks the fields while a run trains (its settings cannot change mid-run). */
  setLocked(locked: boolean): void {
    for (const element of Array.from(this.form.elements))
      if (element instanceof HTMLInputElement || element instanceof HTMLSelectElement) element.disabled = locked;
  }

  private field(name: string): HTMLInputElement | HTMLSelectElement {
    return this.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  }
}
