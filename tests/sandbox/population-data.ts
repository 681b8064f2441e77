// The facts the sandbox population is drawn from, other than the UK name frequencies (those live in
// main/matching/name-frequencies.ts): staff groups and job roles with their NHS proportions, the two
// trusts' sites and wards, the eleven CSTF subjects as the ESR naming conventions spell them, the
// screening and vaccination codes occupational health records, DBS registered bodies, and the names
// of staff whose families came from outside the UK.

// ---- Staff groups and job roles ---------------------------------------------------------------

/** Who a role trains as: what CSTF levels apply, and whether they work on a ward. */
export type RoleKind = 'clinical-registered' | 'clinical-support' | 'doctor' | 'dentist' | 'non-clinical' | 'estates' | 'student' | 'medical-student';

export interface JobRoleDefinition {
  role: string;
  /** Relative share within the staff group. */
  weight: number;
  kind: RoleKind;
  /** Ages the role is held at, inclusive. */
  ages: readonly [number, number];
  /** Agenda for Change band (or doctor's grade) shown in furtherInformation. */
  grades: readonly string[];
  /** Where the role is worked: a ward of a site, a medical specialty, or one of the role's own departments. */
  places: 'ward' | 'specialty' | readonly string[];
}

export interface StaffGroupDefinition {
  name: string;
  /** Share of NHS trust headcount (NHS England workforce statistics, rounded). */
  share: number;
  /** Share of the group who are women. */
  femaleShare: number;
  roles: readonly JobRoleDefinition[];
}

const CLINICAL_AREAS = ['Emergency Department', 'Acute Medical Unit', 'Critical Care', 'Theatres', 'Outpatients', 'Day Surgery Unit', 'Endoscopy', 'Paediatrics', 'Cardiology', 'Renal Unit', 'Oncology', 'Stroke Unit'] as const;
const ADMIN_AREAS = ['Finance', 'Human Resources', 'Medical Records', 'Patient Access', 'Information Technology', 'Clinical Coding', 'Procurement', 'Payroll', 'Outpatients', 'Emergency Department', 'Radiology', 'Governance'] as const;

export const STAFF_GROUPS: readonly StaffGroupDefinition[] = [
  {
    name: 'Nursing and Midwifery Registered', share: 0.26, femaleShare: 0.89,
    roles: [
      { role: 'Staff Nurse', weight: 52, kind: 'clinical-registered', ages: [21, 67], grades: ['Band 5'], places: 'ward' },
      { role: 'Sister/Charge Nurse', weight: 14, kind: 'clinical-registered', ages: [25, 66], grades: ['Band 6'], places: 'ward' },
      { role: 'Midwife', weight: 8, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Labour Ward', 'Antenatal Clinic', 'Birth Centre', 'Postnatal Ward', 'Community Midwifery'] },
      { role: 'Specialist Nurse Practitioner', weight: 9, kind: 'clinical-registered', ages: [27, 66], grades: ['Band 6', 'Band 7'], places: CLINICAL_AREAS },
      { role: 'Community Nurse', weight: 6, kind: 'clinical-registered', ages: [23, 66], grades: ['Band 5', 'Band 6'], places: ['Community Nursing', 'District Nursing'] },
      { role: 'Advanced Practitioner', weight: 4, kind: 'clinical-registered', ages: [30, 65], grades: ['Band 7', 'Band 8a'], places: CLINICAL_AREAS },
      { role: 'Nurse Manager', weight: 4, kind: 'clinical-registered', ages: [30, 65], grades: ['Band 7', 'Band 8a'], places: 'ward' },
      { role: 'Modern Matron', weight: 2, kind: 'clinical-registered', ages: [35, 65], grades: ['Band 8a'], places: CLINICAL_AREAS },
      { role: 'Neonatal Nurse', weight: 1, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Neonatal Unit'] },
    ],
  },
  {
    name: 'Additional Clinical Services', share: 0.22, femaleShare: 0.8,
    roles: [
      { role: 'Healthcare Assistant', weight: 55, kind: 'clinical-support', ages: [18, 67], grades: ['Band 2', 'Band 3'], places: 'ward' },
      { role: 'Support Worker', weight: 12, kind: 'clinical-support', ages: [18, 67], grades: ['Band 3'], places: ['Physiotherapy', 'Occupational Therapy', 'Radiology', 'Outpatients', 'Pharmacy'] },
      { role: 'Maternity Support Worker', weight: 5, kind: 'clinical-support', ages: [18, 66], grades: ['Band 3'], places: ['Labour Ward', 'Postnatal Ward', 'Antenatal Clinic'] },
      { role: 'Assistant Practitioner', weight: 8, kind: 'clinical-support', ages: [20, 66], grades: ['Band 4'], places: 'ward' },
      { role: 'Phlebotomist', weight: 6, kind: 'clinical-support', ages: [18, 67], grades: ['Band 2', 'Band 3'], places: ['Phlebotomy', 'Outpatients'] },
      { role: 'Theatre Support Worker', weight: 6, kind: 'clinical-support', ages: [18, 66], grades: ['Band 2', 'Band 3'], places: ['Theatres', 'Day Surgery Unit'] },
      { role: 'Nursing Associate', weight: 8, kind: 'clinical-support', ages: [20, 64], grades: ['Band 4'], places: 'ward' },
    ],
  },
  {
    name: 'Administrative and Clerical', share: 0.22, femaleShare: 0.83,
    roles: [
      { role: 'Administrator', weight: 22, kind: 'non-clinical', ages: [18, 67], grades: ['Band 3', 'Band 4'], places: ADMIN_AREAS },
      { role: 'Clerical Worker', weight: 16, kind: 'non-clinical', ages: [18, 67], grades: ['Band 2', 'Band 3'], places: ADMIN_AREAS },
      { role: 'Receptionist', weight: 10, kind: 'non-clinical', ages: [18, 67], grades: ['Band 2'], places: ['Outpatients', 'Emergency Department', 'Radiology', 'Day Surgery Unit'] },
      { role: 'Medical Secretary', weight: 12, kind: 'non-clinical', ages: [20, 67], grades: ['Band 3', 'Band 4'], places: ['Cardiology', 'General Surgery', 'Orthopaedics', 'Oncology', 'Respiratory Medicine', 'Gastroenterology'] },
      { role: 'Ward Clerk', weight: 8, kind: 'non-clinical', ages: [18, 67], grades: ['Band 2'], places: 'ward' },
      { role: 'Team Leader', weight: 8, kind: 'non-clinical', ages: [22, 66], grades: ['Band 4', 'Band 5'], places: ADMIN_AREAS },
      { role: 'Manager', weight: 12, kind: 'non-clinical', ages: [25, 66], grades: ['Band 6', 'Band 7', 'Band 8a', 'Band 8b'], places: ADMIN_AREAS },
      { role: 'Senior Manager', weight: 4, kind: 'non-clinical', ages: [32, 65], grades: ['Band 8c', 'Band 8d'], places: ['Finance', 'Human Resources', 'Operations', 'Information Technology', 'Governance'] },
      { role: 'Analyst', weight: 8, kind: 'non-clinical', ages: [21, 65], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Finance', 'Information Technology', 'Performance and Information'] },
    ],
  },
  {
    name: 'Medical and Dental', share: 0.1, femaleShare: 0.48,
    roles: [
      { role: 'Consultant', weight: 32, kind: 'doctor', ages: [33, 67], grades: ['Consultant'], places: 'specialty' },
      { role: 'Specialty Registrar', weight: 22, kind: 'doctor', ages: [27, 45], grades: ['ST3', 'ST4', 'ST5', 'ST6', 'ST7'], places: 'specialty' },
      { role: 'Core Training', weight: 10, kind: 'doctor', ages: [25, 35], grades: ['CT1', 'CT2'], places: 'specialty' },
      { role: 'Foundation Year 1', weight: 9, kind: 'doctor', ages: [23, 30], grades: ['FY1'], places: 'specialty' },
      { role: 'Foundation Year 2', weight: 8, kind: 'doctor', ages: [24, 31], grades: ['FY2'], places: 'specialty' },
      { role: 'Specialty Doctor', weight: 9, kind: 'doctor', ages: [29, 65], grades: ['Specialty Doctor'], places: 'specialty' },
      { role: 'Clinical Fellow', weight: 6, kind: 'doctor', ages: [26, 40], grades: ['Clinical Fellow'], places: 'specialty' },
      { role: 'Dental Surgeon', weight: 4, kind: 'dentist', ages: [23, 66], grades: ['Dental Core Trainee', 'Specialty Dentist', 'Consultant'], places: ['Restorative Dentistry', 'Oral Surgery', 'Orthodontics', 'Paediatric Dentistry'] },
    ],
  },
  {
    name: 'Allied Health Professionals', share: 0.07, femaleShare: 0.79,
    roles: [
      { role: 'Physiotherapist', weight: 25, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Physiotherapy'] },
      { role: 'Occupational Therapist', weight: 18, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Occupational Therapy'] },
      { role: 'Radiographer - Diagnostic', weight: 20, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Radiology'] },
      { role: 'Radiographer - Therapeutic', weight: 6, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Radiotherapy'] },
      { role: 'Speech and Language Therapist', weight: 8, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Speech and Language Therapy'] },
      { role: 'Dietitian', weight: 8, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Dietetics'] },
      { role: 'Podiatrist', weight: 5, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Podiatry'] },
      { role: 'Operating Department Practitioner', weight: 10, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Theatres'] },
    ],
  },
  {
    name: 'Additional Professional Scientific and Technical', share: 0.04, femaleShare: 0.7,
    roles: [
      { role: 'Pharmacist', weight: 35, kind: 'clinical-registered', ages: [23, 66], grades: ['Band 6', 'Band 7', 'Band 8a'], places: ['Pharmacy'] },
      { role: 'Pharmacy Technician', weight: 30, kind: 'clinical-support', ages: [19, 66], grades: ['Band 4', 'Band 5'], places: ['Pharmacy'] },
      { role: 'Clinical Psychologist', weight: 12, kind: 'clinical-registered', ages: [27, 66], grades: ['Band 7', 'Band 8a', 'Band 8b'], places: ['Clinical Psychology'] },
      { role: 'Chaplain', weight: 3, kind: 'non-clinical', ages: [30, 67], grades: ['Band 6'], places: ['Chaplaincy'] },
      { role: 'Technician', weight: 20, kind: 'clinical-support', ages: [19, 66], grades: ['Band 4', 'Band 5'], places: ['Medical Physics', 'Theatres', 'Pharmacy'] },
    ],
  },
  {
    name: 'Estates and Ancillary', share: 0.06, femaleShare: 0.45,
    roles: [
      { role: 'Porter', weight: 22, kind: 'estates', ages: [18, 67], grades: ['Band 2'], places: ['Portering Services'] },
      { role: 'Domestic', weight: 30, kind: 'estates', ages: [18, 67], grades: ['Band 2'], places: ['Domestic Services'] },
      { role: 'Catering Assistant', weight: 14, kind: 'estates', ages: [18, 67], grades: ['Band 2'], places: ['Catering'] },
      { role: 'Housekeeper', weight: 8, kind: 'estates', ages: [18, 67], grades: ['Band 3'], places: 'ward' },
      { role: 'Electrician', weight: 5, kind: 'estates', ages: [20, 66], grades: ['Band 4'], places: ['Estates'] },
      { role: 'Plumber', weight: 4, kind: 'estates', ages: [20, 66], grades: ['Band 4'], places: ['Estates'] },
      { role: 'Security Officer', weight: 7, kind: 'estates', ages: [19, 66], grades: ['Band 3'], places: ['Security'] },
      { role: 'Driver', weight: 5, kind: 'estates', ages: [21, 67], grades: ['Band 2', 'Band 3'], places: ['Transport'] },
      { role: 'Estates Officer', weight: 5, kind: 'estates', ages: [24, 66], grades: ['Band 5', 'Band 6'], places: ['Estates'] },
    ],
  },
  {
    name: 'Healthcare Scientists', share: 0.02, femaleShare: 0.6,
    roles: [
      { role: 'Biomedical Scientist', weight: 45, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Pathology', 'Haematology', 'Microbiology', 'Blood Sciences'] },
      { role: 'Clinical Scientist', weight: 15, kind: 'clinical-registered', ages: [24, 66], grades: ['Band 7', 'Band 8a'], places: ['Medical Physics', 'Genetics', 'Blood Sciences'] },
      { role: 'Healthcare Science Practitioner', weight: 15, kind: 'clinical-support', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Cardiology', 'Audiology', 'Respiratory Physiology'] },
      { role: 'Cardiac Physiologist', weight: 15, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6', 'Band 7'], places: ['Cardiology'] },
      { role: 'Audiologist', weight: 10, kind: 'clinical-registered', ages: [21, 66], grades: ['Band 5', 'Band 6'], places: ['Audiology'] },
    ],
  },
  {
    name: 'Students (non-medical)', share: 0.007, femaleShare: 0.85,
    roles: [
      { role: 'Student Nurse', weight: 70, kind: 'student', ages: [18, 45], grades: ['Student'], places: 'ward' },
      { role: 'Student Midwife', weight: 15, kind: 'student', ages: [18, 40], grades: ['Student'], places: ['Labour Ward', 'Postnatal Ward'] },
      { role: 'Student Physiotherapist', weight: 15, kind: 'student', ages: [18, 35], grades: ['Student'], places: ['Physiotherapy'] },
    ],
  },
  {
    name: 'Students (medical undergraduate)', share: 0.003, femaleShare: 0.58,
    roles: [{ role: 'Medical Student', weight: 1, kind: 'medical-student', ages: [19, 28], grades: ['Student'], places: 'specialty' }],
  },
];

/** Where doctors (and medical students on placement) work. */
export const MEDICAL_SPECIALTIES: readonly string[] = [
  'General Medicine', 'Acute Medicine', 'Cardiology', 'Respiratory Medicine', 'Gastroenterology', 'Geriatric Medicine', 'Renal Medicine',
  'Neurology', 'Haematology', 'Clinical Oncology', 'Medical Oncology', 'Emergency Medicine', 'Anaesthetics', 'Intensive Care Medicine',
  'General Surgery', 'Trauma and Orthopaedics', 'Urology', 'Vascular Surgery', 'Ophthalmology', 'Otolaryngology', 'Obstetrics and Gynaecology',
  'Paediatrics', 'Clinical Radiology', 'Histopathology', 'Dermatology', 'Rheumatology', 'Endocrinology and Diabetes', 'Palliative Medicine',
];

// ---- The two trusts' sites and wards ----------------------------------------------------------

export interface SiteDefinition {
  name: string;
  weight: number;
  /** Ward names at this site. */
  wards: readonly string[];
}

function numbered(prefixes: readonly string[], count: number, format: (prefix: string, n: number) => string): string[] {
  return prefixes.flatMap((prefix) => Array.from({ length: count }, (_, n) => format(prefix, n + 1)));
}

export const SITES: Readonly<Record<'RHQ' | 'RCB', readonly SiteDefinition[]>> = {
  RHQ: [
    { name: 'Northern General Hospital', weight: 46, wards: numbered(['Huntsman', 'Firth', 'Brearley', 'Vickers', 'Chesterman', 'Hadfield'], 8, (prefix, n) => `${prefix} ${n}`) },
    { name: 'Royal Hallamshire Hospital', weight: 36, wards: numbered(['I', 'L', 'M', 'N', 'O', 'P', 'Q', 'R'], 4, (prefix, n) => `Ward ${prefix}${n}`) },
    { name: 'Weston Park Hospital', weight: 6, wards: ['Ward 1', 'Ward 2', 'Ward 3'] },
    { name: 'Jessop Wing', weight: 6, wards: ['Labour Ward', 'Postnatal Ward', 'Neonatal Unit', 'Ward G1', 'Ward G2'] },
    { name: 'Charles Clifford Dental Hospital', weight: 2, wards: ['Day Unit'] },
    { name: 'Community Services', weight: 4, wards: ['Intermediate Care', 'Beech Hill', 'Home Ward'] },
  ],
  RCB: [
    { name: 'York Hospital', weight: 55, wards: numbered(['Ward'], 29, (prefix, n) => `${prefix} ${n + 10}`) },
    { name: 'Scarborough Hospital', weight: 30, wards: ['Ash Ward', 'Beech Ward', 'Cherry Ward', 'Chestnut Ward', 'Graham Ward', 'Haldane Ward', 'Lilac Ward', 'Maple Ward', 'Oak Ward', 'Stepney Ward'] },
    { name: 'Bridlington Hospital', weight: 7, wards: ['Johnson Ward', 'Lloyd Ward', 'Waters Ward'] },
    { name: 'Malton Community Hospital', weight: 4, wards: ['Fitzwilliam Ward'] },
    { name: 'Community Services', weight: 4, wards: ['Community Response Team', 'Archways'] },
  ],
};

/** Departments that keep a site of their own, wherever the role's other places are. */
export const DEPARTMENT_SITES: Readonly<Record<string, Partial<Record<'RHQ' | 'RCB', string>>>> = {
  'Labour Ward': { RHQ: 'Jessop Wing' }, 'Postnatal Ward': { RHQ: 'Jessop Wing' }, 'Antenatal Clinic': { RHQ: 'Jessop Wing' }, 'Birth Centre': { RHQ: 'Jessop Wing' },
  'Neonatal Unit': { RHQ: 'Jessop Wing' }, 'Restorative Dentistry': { RHQ: 'Charles Clifford Dental Hospital' }, 'Oral Surgery': { RHQ: 'Charles Clifford Dental Hospital' },
  Orthodontics: { RHQ: 'Charles Clifford Dental Hospital' }, 'Paediatric Dentistry': { RHQ: 'Charles Clifford Dental Hospital' }, Radiotherapy: { RHQ: 'Weston Park Hospital' },
  'Clinical Oncology': { RHQ: 'Weston Park Hospital' }, 'Medical Oncology': { RHQ: 'Weston Park Hospital' }, 'Obstetrics and Gynaecology': { RHQ: 'Jessop Wing' },
  'Community Nursing': { RHQ: 'Community Services', RCB: 'Community Services' }, 'District Nursing': { RHQ: 'Community Services', RCB: 'Community Services' },
  'Community Midwifery': { RHQ: 'Community Services', RCB: 'Community Services' },
};

/** Departments whose staff train to Safeguarding Children level 3 and learn paediatric or newborn life support. */
export const CHILD_FACING_PLACES: ReadonlySet<string> = new Set([
  'Paediatrics', 'Emergency Department', 'Emergency Medicine', 'Labour Ward', 'Postnatal Ward', 'Antenatal Clinic', 'Birth Centre', 'Neonatal Unit',
  'Community Midwifery', 'Obstetrics and Gynaecology', 'Paediatric Dentistry',
]);
/** Acute areas whose registered staff hold Immediate Life Support. */
export const ACUTE_PLACES: ReadonlySet<string> = new Set(['Emergency Department', 'Acute Medical Unit', 'Critical Care', 'Theatres', 'Cardiology', 'Stroke Unit', 'Acute Medicine', 'Anaesthetics', 'Intensive Care Medicine', 'Emergency Medicine']);
/** Roles whose holders perform exposure-prone procedures, so occupational health screens them for blood-borne viruses. */
export const EXPOSURE_PRONE_PLACES: ReadonlySet<string> = new Set(['Theatres', 'General Surgery', 'Trauma and Orthopaedics', 'Urology', 'Vascular Surgery', 'Obstetrics and Gynaecology', 'Labour Ward', 'Oral Surgery', 'Restorative Dentistry', 'Otolaryngology', 'Ophthalmology']);

// ---- Core skills (CSTF and local mandatory training) --------------------------------------------

export interface CoreSkillDefinition {
  framework: 'CSTF' | 'MAND';
  /** The part of the ESR competence name before the level. */
  subjectName: string;
  /** '1' when the subject has no level (the standard's default). */
  subjectLevel: string;
  /** Whether the ESR competence name carries "Level n" at all. */
  levelled: boolean;
  /** The part after the level, when there is one ("Adult Basic Life Support"). */
  variant: string | null;
  /** Renewal period in years; null when the competency does not expire. */
  renewalYears: 1 | 2 | 3 | null;
  /** How it is usually learnt, as the learning system records it. */
  method: 'E-learning' | 'Classroom' | 'Observation' | 'Examination' | 'Workbook';
  assessed: boolean;
}

/**
 * The competency name as the standard defines it: the subject name and the part after the level
 * ("Resuscitation Adult Basic Life Support"), without the level or the renewal period.
 */
export function competencyNameOf(skill: CoreSkillDefinition): string {
  return skill.variant ? `${skill.subjectName} ${skill.variant}` : skill.subjectName;
}

/** The competence as ESR lists it under the CSTF naming conventions: "NHS|CSTF|Fire Safety - 2 Years|". */
export function esrCompetenceNameOf(skill: CoreSkillDefinition, localPrefix = 'LOCAL'): string {
  const parts = [skill.subjectName];
  if (skill.levelled) parts.push(`Level ${skill.subjectLevel}`);
  if (skill.variant) parts.push(skill.variant);
  if (skill.renewalYears) parts.push(skill.renewalYears === 1 ? '1 Year' : `${skill.renewalYears} Years`);
  return skill.framework === 'CSTF' ? `NHS|CSTF|${parts.join(' - ')}|` : `${localPrefix}|MAND|${parts.join(' - ')}|`;
}

function cstf(subjectName: string, level: number | null, variant: string | null, renewalYears: 1 | 2 | 3, method: CoreSkillDefinition['method'], assessed = false): CoreSkillDefinition {
  return { framework: 'CSTF', subjectName, subjectLevel: String(level ?? 1), levelled: level !== null, variant, renewalYears, method, assessed };
}

/** The CSTF competencies by key: the eleven subjects at the levels the two trusts use. */
export const CSTF = {
  equality: cstf('Equality, Diversity and Human Rights', null, null, 3, 'E-learning'),
  healthSafety: cstf('Health, Safety and Welfare', null, null, 3, 'E-learning'),
  conflict: cstf('NHS Conflict Resolution (England)', null, null, 3, 'E-learning'),
  fire: cstf('Fire Safety', null, null, 2, 'E-learning'),
  infection1: cstf('Infection Prevention and Control', 1, null, 3, 'E-learning'),
  infection2: cstf('Infection Prevention and Control', 2, null, 1, 'E-learning'),
  moving1: cstf('Moving and Handling', 1, null, 3, 'E-learning'),
  moving2: cstf('Moving and Handling', 2, null, 2, 'Classroom', true),
  adults1: cstf('Safeguarding Adults', 1, null, 3, 'E-learning'),
  adults2: cstf('Safeguarding Adults', 2, null, 3, 'E-learning'),
  adults3: cstf('Safeguarding Adults', 3, null, 3, 'Classroom'),
  prevent1: cstf('Preventing Radicalisation', 1, 'Basic Prevent Awareness', 3, 'E-learning'),
  prevent3: cstf('Preventing Radicalisation', 3, 'Awareness of Prevent', 3, 'E-learning'),
  children1: cstf('Safeguarding Children', 1, null, 3, 'E-learning'),
  children2: cstf('Safeguarding Children', 2, null, 3, 'E-learning'),
  children3: cstf('Safeguarding Children', 3, null, 3, 'Classroom'),
  resus1: cstf('Resuscitation', 1, null, 1, 'E-learning'),
  resusAdult2: cstf('Resuscitation', 2, 'Adult Basic Life Support', 1, 'Observation', true),
  resusPaediatric2: cstf('Resuscitation', 2, 'Paediatric Basic Life Support', 1, 'Observation', true),
  resusNewborn2: cstf('Resuscitation', 2, 'Newborn Life Support', 1, 'Observation', true),
  resusAdult3: cstf('Resuscitation', 3, 'Adult Immediate Life Support', 1, 'Observation', true),
  informationGovernance: cstf('Information Governance and Data Security', null, null, 1, 'Examination'),
} as const satisfies Record<string, CoreSkillDefinition>;

/** Trust-mandated training outside the CSTF. */
export const MAND = {
  bloodTransfusion: { framework: 'MAND', subjectName: 'Blood Transfusion', subjectLevel: '1', levelled: false, variant: 'Collection and Administration', renewalYears: 2, method: 'E-learning', assessed: false },
  mentalCapacity: { framework: 'MAND', subjectName: 'Mental Capacity Act and Deprivation of Liberty Safeguards', subjectLevel: '1', levelled: false, variant: null, renewalYears: 3, method: 'E-learning', assessed: false },
  oliverMcGowan: { framework: 'MAND', subjectName: 'Oliver McGowan Mandatory Training on Learning Disability and Autism', subjectLevel: '1', levelled: true, variant: null, renewalYears: null, method: 'E-learning', assessed: false },
  sepsis: { framework: 'MAND', subjectName: 'Sepsis Awareness', subjectLevel: '1', levelled: false, variant: null, renewalYears: 3, method: 'E-learning', assessed: false },
  medicines: { framework: 'MAND', subjectName: 'Medicines Management', subjectLevel: '1', levelled: false, variant: 'Safe Administration', renewalYears: 3, method: 'Workbook', assessed: true },
} as const satisfies Record<string, CoreSkillDefinition>;

/** The learning management system each trust runs, which feeds its core skills into ESR. */
export const LEARNING_SYSTEM_BY_ORGANISATION: Readonly<Record<'RHQ' | 'RCB', string>> = {
  RHQ: 'Kallidus Learn',
  RCB: 'Think LMS',
};
/** ESR's own learning management, where a competence was completed in ESR itself. */
export const ESR_OWN_LEARNING = 'ESR OLM';
/** How a competence carried over from a previous NHS employer arrives in ESR. */
export const ESR_INTER_AUTHORITY_TRANSFER = 'ESR inter-authority transfer';

/** Other NHS trusts in the region, where staff worked before and carried competences from. */
export const NEIGHBOURING_TRUSTS: readonly string[] = ['RR8', 'RCU', 'RFR', 'RP5', 'RWA', 'RXF', 'RCF', 'RAE', 'RWY', 'RFF'];

// ---- Occupational health: vaccinations, clinical tests, observations -------------------------

/** SNOMED CT procedure concepts, each checked against published code lists. */
export const VACCINATIONS = {
  hepatitisB: { code: '16584000', description: 'Hepatitis B vaccination' },
  mmr: { code: '38598009', description: 'Measles, mumps and rubella vaccination' },
  varicella: { code: '68525005', description: 'Varicella vaccination' },
  bcg: { code: '42284007', description: 'BCG vaccination' },
  influenza: { code: '822851000000102', description: 'Seasonal influenza vaccination' },
  covidFirst: { code: '1324681000000101', description: 'Administration of first dose of SARS-CoV-2 vaccine' },
  covidSecond: { code: '1324691000000104', description: 'Administration of second dose of SARS-CoV-2 vaccine' },
  covidBooster: { code: '1362591000000103', description: 'Administration of booster dose of SARS-CoV-2 vaccine' },
} as const;

/**
 * Clinical tests. SNOMED CT procedure concepts where one was found in published lists; the
 * interferon-gamma release assay keeps the occupational health system's local code.
 */
export const CLINICAL_TESTS = {
  hepatitisBSurfaceAntibody: { code: '65911000', description: 'Hepatitis B surface antibody measurement' },
  hepatitisBSurfaceAntigen: { code: '47758006', description: 'Hepatitis B surface antigen measurement' },
  varicellaAntibody: { code: '104326007', description: 'Measurement of Varicella-zoster virus antibody' },
  rubella: { code: '314098000', description: 'Rubella screening test' },
  tuberculosisIgra: { code: 'OH-TBIGRA', description: 'Tuberculosis interferon gamma release assay (IGRA)' },
} as const;

/** Observations occupational health records at a new-starter assessment (local codes). */
export const OBSERVATIONS = {
  bcgScar: { code: 'OH-BCGSCAR', description: 'BCG scar present' },
  chickenpoxHistory: { code: 'OH-VZVHX', description: 'History of chickenpox or shingles' },
} as const;

// ---- DBS ----------------------------------------------------------------------------------------

export interface RegisteredBody {
  number: string;
  name: string;
}

/** Each trust is its own DBS registered body; some checks go through an umbrella body. Numbers are made up. */
export const REGISTERED_BODIES: Readonly<Record<'RHQ' | 'RCB' | 'umbrella', readonly RegisteredBody[]>> = {
  RHQ: [{ number: '20041178002', name: 'Sheffield Teaching Hospitals NHS Foundation Trust' }],
  RCB: [{ number: '20039466001', name: 'York and Scarborough Teaching Hospitals NHS Foundation Trust' }],
  umbrella: [
    { number: '20087713005', name: 'Pennine Vetting Services Limited' },
    { number: '20112290014', name: 'Northern Disclosure Partners Limited' },
  ],
};

// ---- Names of staff whose families came from outside the UK -------------------------------------

/**
 * A naming tradition: its share among NHS staff (by profile), its given names and surnames (most
 * common first). A surname written "Kowalski/Kowalska" takes its second form for women.
 */
export interface NameTradition {
  key: string;
  /** Share among medical staff, among nurses and midwives, and among everyone else. */
  shares: { medical: number; nursing: number; other: number };
  female: readonly string[];
  male: readonly string[];
  surnames: readonly string[];
  /** Share who have a middle name, and whether it is a family surname (Filipino custom). */
  middleNameShare: number;
  middleFromSurnames?: boolean;
  /** Share who go by an English name at work (knownAs). */
  englishNameShare?: number;
}

export const NAME_TRADITIONS: readonly NameTradition[] = [
  {
    key: 'south-asian', shares: { medical: 0.17, nursing: 0.07, other: 0.045 }, middleNameShare: 0.3,
    female: ['Priya', 'Fatima', 'Ayesha', 'Aisha', 'Anjali', 'Divya', 'Sana', 'Nadia', 'Shabana', 'Lakshmi', 'Deepa', 'Kavita', 'Sunita', 'Pooja', 'Neha', 'Farzana', 'Rubina', 'Nasreen', 'Jyoti', 'Meera', 'Reshma', 'Shilpa', 'Bindu', 'Sindhu', 'Jincy', 'Smitha', 'Sheeba', 'Nisha', 'Rekha', 'Hina', 'Amna', 'Zainab', 'Maryam', 'Shazia', 'Tincy', 'Jisha', 'Anu', 'Saira'],
    male: ['Mohammed', 'Muhammad', 'Imran', 'Rahul', 'Amit', 'Sanjay', 'Rajesh', 'Arjun', 'Vikram', 'Suresh', 'Anil', 'Sunil', 'Ravi', 'Vijay', 'Asif', 'Tariq', 'Usman', 'Bilal', 'Faisal', 'Kamran', 'Shahid', 'Zubair', 'Jibin', 'Jobin', 'Bijo', 'Arun', 'Harish', 'Nikhil', 'Sajid', 'Irfan'],
    surnames: ['Patel', 'Khan', 'Ahmed', 'Hussain', 'Ali', 'Singh', 'Shah', 'Sharma', 'Kumar', 'Iqbal', 'Akhtar', 'Mahmood', 'Rahman', 'Islam', 'Nair', 'Menon', 'Varghese', 'Thomas', 'George', 'Joseph', 'Mathew', 'Pillai', 'Kurian', 'Jacob', 'Choudhury', 'Reddy', 'Rao', 'Gupta', 'Mehta', 'Desai', 'Joshi', 'Malik', 'Qureshi', 'Siddiqui', 'Butt', 'Raza', 'Aslam', 'Anwar', 'Bashir', 'Chaudhry', 'Gill', 'Sandhu', 'Dhillon', 'Ahmed Khan', 'Ul Haq', 'Abdul Karim', 'Ali Shah', 'Agarwal', 'Chopra', 'Bains', 'Bhatti', 'Mirza', 'Sheikh', 'Saeed', 'Javed', 'Yousaf', 'Nawaz', 'Rashid', 'Latif', 'Hameed', 'Zaman', 'Uddin', 'Miah', 'Das', 'Bose', 'Banerjee', 'Chatterjee', 'Mukherjee', 'Ghosh', 'Sen', 'Iyer', 'Krishnan', 'Subramanian', 'Raman', 'Natarajan', 'Srinivasan', 'Venkatesh', 'Balakrishnan', 'Chandran', 'Prasad', 'Mishra', 'Pandey', 'Tiwari', 'Verma', 'Yadav', 'Jain', 'Bhatt', 'Trivedi', 'Parmar', 'Solanki', 'Chauhan', 'Mistry', 'Kapoor', 'Malhotra', 'Khanna', 'Bhatia', 'Arora', 'Sethi', 'Grewal', 'Sidhu', 'Johal', 'Atwal', 'Thind', 'Perera', 'Fernando', 'De Silva', 'Jayasinghe', 'Wickramasinghe', 'Abraham', 'Cherian', 'Chacko', 'Philip', 'Antony', 'Sebastian', 'Augustine'],
  },
  {
    key: 'filipino', shares: { medical: 0.005, nursing: 0.06, other: 0.01 }, middleNameShare: 0.8, middleFromSurnames: true,
    female: ['Maria', 'Mary Grace', 'Mary Joy', 'Joy', 'Jocelyn', 'Marilyn', 'Rowena', 'Lourdes', 'Cristina', 'Rosalie', 'Analyn', 'Jennifer', 'Maricel', 'Geraldine', 'Rhea', 'Lovely', 'Princess', 'Kristine', 'Mylene', 'Jasmine', 'Arlene', 'Marites'],
    male: ['Jose', 'Mark', 'John Paul', 'Rommel', 'Ronaldo', 'Reynaldo', 'Jomar', 'Carlo', 'Jerome', 'Mario', 'Arnel', 'Noel', 'Rodel', 'Ramil', 'Jayson'],
    surnames: ['Santos', 'Reyes', 'Cruz', 'Bautista', 'Garcia', 'Mendoza', 'Ramos', 'Aquino', 'Villanueva', 'Castillo', 'Fernandez', 'Gonzales', 'Torres', 'Flores', 'Rivera', 'De Guzman', 'Dela Cruz', 'Del Rosario', 'De Leon', 'Pascual', 'Manalo', 'Navarro', 'Dizon', 'Soriano', 'Mercado', 'Santiago', 'Salazar', 'Aguilar', 'Valdez', 'Dela Paz', 'Macaraeg', 'Bernardo', 'Cabrera', 'Domingo', 'Esguerra', 'Gutierrez', 'Hernandez', 'Ignacio', 'Javier', 'Lopez', 'Magbanua', 'Marquez', 'Morales', 'Ocampo', 'Panganiban', 'Quiambao', 'Rosales', 'Samson', 'Tolentino', 'Umali', 'Vergara', 'Yap', 'Zamora', 'Agustin', 'Alcantara', 'Buenaventura', 'Cayabyab', 'Dimaculangan', 'Evangelista', 'Francisco', 'Galang', 'Lacson', 'Mangahas', 'Pangilinan', 'Sison'],
  },
  {
    key: 'west-african', shares: { medical: 0.06, nursing: 0.06, other: 0.025 }, middleNameShare: 0.55,
    female: ['Blessing', 'Grace', 'Funmilayo', 'Adaeze', 'Chiamaka', 'Ngozi', 'Folake', 'Abimbola', 'Oluwaseun', 'Temitope', 'Yetunde', 'Bukola', 'Chioma', 'Nneka', 'Ama', 'Akosua', 'Abena', 'Efua', 'Comfort', 'Patience', 'Mercy', 'Gifty', 'Esther', 'Olamide', 'Omolara', 'Adenike', 'Favour'],
    male: ['Oluwaseun', 'Chukwuemeka', 'Emeka', 'Obinna', 'Tunde', 'Ayodele', 'Babatunde', 'Olumide', 'Segun', 'Kwame', 'Kofi', 'Kwabena', 'Yaw', 'Kwesi', 'Samuel', 'Emmanuel', 'Daniel', 'Godfrey', 'Chinedu', 'Ikenna', 'Femi', 'Adewale'],
    surnames: ['Okafor', 'Adeyemi', 'Okonkwo', 'Adebayo', 'Mensah', 'Boateng', 'Owusu', 'Asante', 'Osei', 'Ogunleye', 'Olaniyan', 'Eze', 'Nwosu', 'Okeke', 'Ibrahim', 'Bello', 'Agyeman', 'Appiah', 'Amoah', 'Danso', 'Oduro', 'Adjei', 'Ogunbiyi', 'Akinola', 'Afolabi', 'Balogun', 'Oyelaran', 'Uche', 'Nnamdi', 'Ojo', 'Okoro', 'Obi', 'Okoye', 'Nwachukwu', 'Chukwu', 'Onyeka', 'Ezeh', 'Igwe', 'Anyanwu', 'Ogbonna', 'Udeh', 'Nwankwo', 'Ekwueme', 'Adeleke', 'Adewale', 'Adeniyi', 'Adesanya', 'Ajayi', 'Akande', 'Alabi', 'Babalola', 'Fashola', 'Ogundipe', 'Ogunlana', 'Oladipo', 'Olatunji', 'Olawale', 'Onifade', 'Oyewole', 'Salami', 'Sanni', 'Yusuf', 'Abubakar', 'Musa', 'Aliyu', 'Quaye', 'Tetteh', 'Addo', 'Amponsah', 'Antwi', 'Asamoah', 'Badu', 'Darko', 'Frimpong', 'Gyamfi', 'Kuffour', 'Obeng', 'Ofori', 'Opoku', 'Sarpong', 'Yeboah', 'Acheampong', 'Bamidele', 'Ogunbanjo', 'Oyebanji', 'Kamara', 'Sesay', 'Conteh', 'Bangura', 'Jalloh'],
  },
  {
    key: 'southern-african', shares: { medical: 0.015, nursing: 0.035, other: 0.01 }, middleNameShare: 0.45,
    female: ['Tendai', 'Nyasha', 'Rudo', 'Chipo', 'Tatenda', 'Precious', 'Tsitsi', 'Thandiwe', 'Nomvula', 'Lindiwe', 'Fadzai', 'Rutendo', 'Memory', 'Loveness'],
    male: ['Tendai', 'Tafadzwa', 'Farai', 'Tinashe', 'Blessing', 'Takudzwa', 'Sipho', 'Themba', 'Simbarashe', 'Kudakwashe', 'Tawanda', 'Innocent'],
    surnames: ['Moyo', 'Ncube', 'Dube', 'Ndlovu', 'Sibanda', 'Mpofu', 'Nyathi', 'Chikwanha', 'Mutasa', 'Marufu', 'Mhlanga', 'Banda', 'Phiri', 'Mwale', 'Zulu', 'Nkosi', 'Chirwa', 'Makoni', 'Chigumba', 'Gumbo', 'Hove', 'Jongwe', 'Kambarami', 'Madziva', 'Mapfumo', 'Mudzingwa', 'Musoni', 'Ngwenya', 'Nyoni', 'Shumba', 'Tshuma', 'Mlambo', 'Khumalo', 'Dlamini', 'Mahlangu', 'Mokoena', 'Molefe', 'Naidoo', 'Pillay', 'van Wyk', 'Botha', 'Pretorius', 'du Plessis', 'van der Merwe'],
  },
  {
    key: 'irish', shares: { medical: 0.02, nursing: 0.025, other: 0.015 }, middleNameShare: 0.6,
    female: ['Siobhán', 'Aoife', 'Niamh', 'Róisín', 'Caoimhe', 'Orla', 'Sinéad', 'Áine', 'Clodagh', 'Eimear', 'Gráinne', 'Saoirse', 'Deirdre', 'Aisling', 'Bríd'],
    male: ['Seán', 'Ciarán', 'Pádraig', 'Cian', 'Darragh', 'Oisín', 'Eoin', 'Conor', 'Declan', 'Dónal', 'Colm', 'Ronan', 'Éamonn', 'Cathal'],
    surnames: ["O'Brien", "O'Connor", "O'Neill", "O'Sullivan", 'Murphy', 'Kelly', 'Ryan', 'Byrne', 'Walsh', 'McCarthy', 'Doyle', 'Gallagher', "O'Donnell", 'McLaughlin', 'Quinn', 'Brennan', 'Fitzgerald', "O'Reilly", 'Ó Súilleabháin', 'Mac Giolla Phádraig', 'Ní Bhriain'],
  },
  {
    key: 'southern-european', shares: { medical: 0.04, nursing: 0.03, other: 0.015 }, middleNameShare: 0.35,
    female: ['María', 'Ana', 'Inês', 'Sofía', 'Lucía', 'Marta', 'Beatriz', 'Francesca', 'Giulia', 'Chiara', 'Eleni', 'Raquel', 'Sónia', 'Carla', 'Joana', 'Laura', 'Irene', 'Paola'],
    male: ['José', 'João', 'Miguel', 'Pedro', 'Javier', 'Alejandro', 'Marco', 'Luca', 'Giuseppe', 'Nikolaos', 'Dimitrios', 'Andrés', 'Tiago', 'Rui', 'Carlos', 'Pablo', 'Jesús', 'Sergio'],
    surnames: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Pérez', 'Gómez', 'da Silva', 'dos Santos', 'Pereira', 'Ferreira', 'Oliveira', 'Costa', 'Rossi', 'Russo', 'Bianchi', 'Esposito', 'Romano', 'Papadopoulos', 'Georgiou', 'Nikolaou', 'de Souza', 'de Sousa', 'Núñez', 'García López', 'Fernández Ruiz', 'Rodrigues', 'Martín'],
  },
  {
    key: 'eastern-european', shares: { medical: 0.025, nursing: 0.025, other: 0.025 }, middleNameShare: 0.1,
    female: ['Agnieszka', 'Katarzyna', 'Małgorzata', 'Joanna', 'Anna', 'Magdalena', 'Ewa', 'Monika', 'Ioana', 'Andreea', 'Elena', 'Mihaela', 'Zsófia', 'Kinga', 'Justyna', 'Aleksandra'],
    male: ['Łukasz', 'Piotr', 'Tomasz', 'Krzysztof', 'Paweł', 'Marcin', 'Andrei', 'Mihai', 'Bogdan', 'Ionuț', 'Gábor', 'Jakub', 'Michał', 'Adrian'],
    surnames: ['Nowak', 'Kowalski/Kowalska', 'Wiśniewski/Wiśniewska', 'Wójcik', 'Kamiński/Kamińska', 'Lewandowski/Lewandowska', 'Zieliński/Zielińska', 'Szymański/Szymańska', 'Dąbrowski/Dąbrowska', 'Popescu', 'Ionescu', 'Popa', 'Dumitru', 'Stan', 'Constantin', 'Nagy', 'Kovács', 'Tóth', 'Horváth', 'Kowalczyk'],
  },
  {
    key: 'north-western-european', shares: { medical: 0.015, nursing: 0.01, other: 0.01 }, middleNameShare: 0.5,
    female: ['Anke', 'Femke', 'Sanne', 'Lotte', 'Katrin', 'Sabine', 'Julia', 'Lena', 'Renée', 'Zoë', 'Chloë', 'Noémie', 'Amélie', 'Hélène', 'Anaïs'],
    male: ['Jan', 'Pieter', 'Sven', 'Jörg', 'Matthias', 'Stefan', 'Lars', 'Dirk', 'André', 'François', 'Jérôme', 'Björn'],
    surnames: ['van der Berg', 'van Dijk', 'de Vries', 'van den Bosch', 'de Jong', 'van der Meer', 'Müller', 'Schmidt', 'Schröder', 'Weiß', 'Meyer', 'Becker', 'Dubois', 'Lefèvre', 'Leclerc', 'Moreau', 'Le Roux', 'von Essen', 'Jørgensen', 'Åberg'],
  },
  {
    key: 'east-asian', shares: { medical: 0.02, nursing: 0.01, other: 0.01 }, middleNameShare: 0.05, englishNameShare: 0.35,
    female: ['Wei', 'Li', 'Mei', 'Xiaoling', 'Yan', 'Hui', 'Ying', 'Jing', 'Siew Ling', 'Mei Ling', 'Xin', 'Yu'],
    male: ['Wei', 'Jun', 'Hao', 'Ming', 'Jian', 'Kai', 'Chun', 'Wai Keung', 'Zhiwei', 'Yong'],
    surnames: ['Wang', 'Li', 'Zhang', 'Chen', 'Liu', 'Wong', 'Chan', 'Cheung', 'Lee', 'Lim', 'Tan', 'Ng', 'Ho', 'Lau', 'Yang', 'Huang', 'Zhou', 'Wu'],
  },
  {
    key: 'middle-eastern', shares: { medical: 0.07, nursing: 0.01, other: 0.01 }, middleNameShare: 0.5,
    female: ['Fatima', 'Mariam', 'Noor', 'Layla', 'Rania', 'Dina', 'Yasmin', 'Hana', 'Sara', 'Leila', 'Shirin', 'Amira', 'Nour'],
    male: ['Ahmed', 'Mohamed', 'Omar', 'Khalid', 'Hassan', 'Hussein', 'Yousef', 'Mahmoud', 'Tarek', 'Amir', 'Reza', 'Karim', 'Sami', 'Mustafa'],
    surnames: ['Al-Hassan', 'Abdelrahman', 'Elsayed', 'Mahmoud', 'Ibrahim', 'Hassan', 'Mansour', 'Haddad', 'Nasser', 'Saleh', 'Abu Bakr', 'El-Masry', 'Hosseini', 'Ahmadi', 'Karimi', 'Rezaei', 'Mohamed', 'Osman', 'Abdalla', 'Al-Rashid', 'Farouk', 'Youssef'],
  },
];

// ---- The long tail of rare British surnames --------------------------------------------------

/**
 * Real British surnames are mostly place names and trades; combining their parts gives the long
 * tail of rare names a frequency table leaves out (Ashcombe, Thornworth, Blackridge...).
 */
export const RARE_SURNAME_STARTS: readonly string[] = [
  'Ash', 'Black', 'Brad', 'Brook', 'Cal', 'Chal', 'Dun', 'Fair', 'Fen', 'Green', 'Hart', 'Hol', 'Kings', 'Lang', 'Mar', 'Mid', 'Nor', 'Pen',
  'Rad', 'Ross', 'Sal', 'Stan', 'Thorn', 'Wal', 'Whit', 'Wood', 'Ald', 'Bram', 'Crom', 'Elm', 'Hay', 'Lyn', 'Oak', 'Rams', 'Sed', 'Wick',
  'Ack', 'Ain', 'Bar', 'Bel', 'Bick', 'Bur', 'Cart', 'Chat', 'Cliff', 'Cope', 'Dal', 'Dern', 'Far', 'Gar', 'Gold', 'Grim', 'Had', 'Hen',
  'Kir', 'Lid', 'Mel', 'Mort', 'Ned', 'Pad', 'Red', 'Rock', 'Roth', 'Rud', 'Scar', 'Shel', 'Sher', 'Snow', 'Stain', 'Sum', 'Tod', 'Win',
];
export const RARE_SURNAME_ENDS: readonly string[] = [
  'by', 'combe', 'den', 'field', 'ford', 'gate', 'ham', 'hurst', 'ley', 'ling', 'more', 'ridge', 'ton', 'well', 'worth', 'wick', 'stone', 'shaw',
  'bury', 'cott', 'dale', 'thwaite', 'holme', 'lock', 'borne', 'bridge', 'brook', 'burn', 'croft', 'hall', 'hill', 'land', 'mere', 'side', 'wood',
];

// ---- Keyboard and writing -------------------------------------------------------------------

/** Letters next to each other on a UK QWERTY keyboard, for typing slips. */
export const ADJACENT_KEYS: Readonly<Record<string, string>> = {
  q: 'wa', w: 'qes', e: 'wrd', r: 'etf', t: 'ryg', y: 'tuh', u: 'yij', i: 'uok', o: 'ipl', p: 'ol',
  a: 'qsz', s: 'awdz', d: 'sefx', f: 'drgc', g: 'fthv', h: 'gyjb', j: 'hukn', k: 'jilm', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};

/** Particles that are not a surname on their own ("van der Berg" is given as "Berg", never "der"). */
export const SURNAME_PARTICLES: ReadonlySet<string> = new Set(['van', 'der', 'den', 'de', 'da', 'dos', 'del', 'dela', 'la', 'le', 'von', 'al', 'el', 'ul', 'abu', 'abdul', 'mac', 'ní', 'ó']);
